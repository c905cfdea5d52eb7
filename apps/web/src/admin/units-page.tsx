import { type CSSProperties, useState } from 'react';
import { api, command, read, seenPosition, type Schema } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/dictionary';
import { useAccount } from '../session/session';
import { CreateColleagueAccount, NewPassword } from '../staff/accounts-page';
import { Badge } from '../ui/badges';
import { Field, FormActions } from '../ui/form';
import { PageTitle } from '../ui/layout';
import { Modal } from '../ui/modal';
import { Empty, ErrorNotice, Loading, Notice } from '../ui/states';
import { useApi } from '../ui/use-api';
import { useSubmit } from '../ui/use-submit';

type Unit = Schema<'OrgUnitSummaryView'>;
type Kind = 'district' | 'street' | 'town' | 'community';

/** What may be registered under a unit of each kind (the domain's rule: libs/domain org-unit.ts). */
const CHILD_KINDS: Record<string, readonly Kind[]> = { district: ['street', 'town'], street: ['community'], town: ['community'], community: [] };

/**
 * The listed units as a tree, each right after its parent with its depth (siblings in the order
 * listed). A unit whose parent is not listed (the top of a staff member's subtree) is a root.
 */
export function indented(units: readonly Unit[]): { unit: Unit; depth: number }[] {
  const listed = new Set(units.map((u) => u.orgUnitId));
  const children = new Map<string | null, Unit[]>();
  for (const unit of units) {
    const parent = unit.parentId !== null && listed.has(unit.parentId) ? unit.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), unit]);
  }
  const tree: { unit: Unit; depth: number }[] = [];
  const visit = (parent: string | null, depth: number) => {
    for (const unit of children.get(parent) ?? []) {
      tree.push({ unit, depth });
      visit(unit.orgUnitId, depth + 1);
    }
  };
  visit(null, 0);
  return tree;
}

/**
 * The units an administrator (every unit) or a member of staff (their unit and
 * everything under it) looks after: register a district, a street or town
 * under a district, a community under a street or town; rename one; open an
 * account for someone who works there (staff or an official). Registering and
 * renaming are ledger commands (an Idempotency-Key each); accounts are not.
 */
export function UnitsPage() {
  const { t } = useI18n();
  const me = useAccount();
  const units = useApi(() => read(api.GET('/api/v1/org-units', { params: { query: { minPosition: seenPosition() } } })), []);
  const [adding, setAdding] = useState<{ parent: Unit | null } | null>(null);
  const [renaming, setRenaming] = useState<Unit | null>(null);
  const [opening, setOpening] = useState<Unit | null>(null);
  const [secret, setSecret] = useState<{ username: string; password: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);

  // A password shown once stays on the page until another replaces it, whatever is done meanwhile.
  const finished = (message: string) => {
    setAdding(null);
    setRenaming(null);
    setDone(message);
    units.reload();
  };

  return (
    <div className="narrow">
      <PageTitle actions={me.role === 'admin' && (
        <button type="button" className="button button-primary" onClick={() => setAdding({ parent: null })}>{t('units.addDistrict')}</button>
      )}>
        {t('nav.units')}
      </PageTitle>
      <p className="muted">{t(me.role === 'admin' ? 'units.explainAdmin' : 'units.explainStaff')}</p>
      {secret && <NewPassword secret={secret} />}
      {done && <Notice kind="success" title={done} />}
      {units.error ? <ErrorNotice error={units.error} onRetry={units.reload} />
        : !units.data ? <Loading />
          : units.data.orgUnits.length === 0 ? <Empty title={t('units.none')} />
            : (
              <ul className="cards unit-tree">
                {indented(units.data.orgUnits).map(({ unit, depth }) => (
                  <li key={unit.orgUnitId} className="card unit-card" style={{ '--depth': Math.min(depth, 3) } as CSSProperties}>
                    <div className="card-main">
                      <p className="card-title">{unit.name}</p>
                      <p className="muted">
                        <Badge tone="info">{t(`units.kind.${unit.kind}` as MessageKey)}</Badge>
                        {unit.childCount > 0 ? ` ${t('units.children', { n: unit.childCount })}` : ''}
                      </p>
                    </div>
                    <div className="card-side">
                      <div className="button-row">
                        {(CHILD_KINDS[unit.kind] ?? []).length > 0 && (
                          <button type="button" className="button button-secondary" onClick={() => setAdding({ parent: unit })}
                            aria-label={t('units.addUnderFor', { name: unit.name })}>{t('units.addUnder')}</button>
                        )}
                        <button type="button" className="button button-secondary" onClick={() => setOpening(unit)}
                          aria-label={t('units.openAccountFor', { name: unit.name })}>{t('units.openAccount')}</button>
                        <button type="button" className="button button-ghost" onClick={() => setRenaming(unit)}
                          aria-label={t('units.renameFor', { name: unit.name })}>{t('units.rename')}</button>
                      </div>
                    </div>
                  </li>
                ))}
              </ul>
            )}
      {adding && <RegisterUnit parent={adding.parent} onClose={() => setAdding(null)} onDone={(name) => finished(t('units.registered', { name }))} />}
      {renaming && <RenameUnit unit={renaming} onClose={() => setRenaming(null)} onDone={(name) => finished(t('units.renamed', { name }))} />}
      {opening && (
        <CreateColleagueAccount unit={opening.orgUnitId} unitName={opening.name} onClose={() => setOpening(null)} onCreated={(made) => {
          setOpening(null);
          setDone(null);
          setSecret(made);
        }} />
      )}
    </div>
  );
}

/** Registers a unit: a district (no parent, administrators only), or a unit of an allowed kind under `parent`. */
function RegisterUnit({ parent, onClose, onDone }: { parent: Unit | null; onClose: () => void; onDone: (name: string) => void }) {
  const { t } = useI18n();
  const kinds: readonly Kind[] = parent ? CHILD_KINDS[parent.kind] ?? [] : ['district'];
  const [kind, setKind] = useState<Kind>(kinds[0]);
  const [name, setName] = useState('');

  const { busy, error, submit } = useSubmit(async () => {
    await command((headers) => api.POST('/api/v1/org-units', {
      headers, body: { kind, name, parentId: parent?.orgUnitId },
    }));
    onDone(name.trim());
  });

  return (
    <Modal title={parent ? t('units.addUnderFor', { name: parent.name }) : t('units.addDistrict')} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        {kinds.length > 1 && (
          <fieldset className="field">
            <legend>{t('units.kindLabel')}</legend>
            {kinds.map((k) => (
              <label key={k} className="choice">
                <input type="radio" name="unit-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
                {' '}{t(`units.kind.${k}` as MessageKey)}
              </label>
            ))}
          </fieldset>
        )}
        <Field id="name" label={t('units.name', { kind: t(`units.kind.${kind}` as MessageKey) })} hint={t(`units.nameHint.${kind}` as MessageKey)} error={error}>
          <input id="name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        </Field>
        <FormActions busy={busy} error={error} label={t('units.register')} onCancel={onClose} fields={['kind', 'name']} />
      </form>
    </Modal>
  );
}

/** Renames a unit (the log keeps the old name in its history). */
function RenameUnit({ unit, onClose, onDone }: { unit: Unit; onClose: () => void; onDone: (name: string) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(unit.name);

  const { busy, error, submit } = useSubmit(async () => {
    if (name.trim() === unit.name) return false;
    await command((headers) => api.POST('/api/v1/org-units/{id}/renaming', {
      headers, params: { path: { id: unit.orgUnitId } }, body: { name },
    }));
    onDone(name.trim());
  });

  return (
    <Modal title={t('units.renameFor', { name: unit.name })} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <Field id="name" label={t('units.newName')} error={error}>
          <input id="name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        </Field>
        <FormActions busy={busy} error={error} label={t('units.renameSubmit')} onCancel={onClose} fields={['name']} />
      </form>
    </Modal>
  );
}
