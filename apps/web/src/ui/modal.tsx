import { type ReactNode, useEffect, useRef } from 'react';

/**
 * A modal dialog on the native <dialog> element: the browser keeps focus
 * inside it, Esc closes it, and focus returns to the button that opened it.
 */
export function Modal({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current!;
    const opener = document.activeElement as HTMLElement | null;
    element.showModal();
    return () => {
      element.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog ref={dialog} className="modal" aria-labelledby="modal-title" onCancel={(e) => {
      e.preventDefault();
      onClose();
    }}>
      <h2 id="modal-title">{title}</h2>
      {children}
    </dialog>
  );
}
