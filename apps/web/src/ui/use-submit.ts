import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/problem';

export interface Submission {
  /** True from the submit until a refusal (on success the form is usually left, so it stays true). */
  busy: boolean;
  /** The last refusal, shown by the form; cleared at each submit. */
  error: ApiError | null;
  /** The form's onSubmit: runs `action` unless it is busy already. */
  submit(event?: FormEvent): Promise<void>;
}

/** A form's submit: busy while it runs, the refusal kept to be shown. `action` returning false means "nothing to do". */
export function useSubmit(action: () => Promise<void | false>): Submission {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function submit(event?: FormEvent) {
    event?.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      if ((await action()) === false) setBusy(false);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'client', 'Error', String(caught)));
      setBusy(false);
    }
  }
  return { busy, error, submit };
}
