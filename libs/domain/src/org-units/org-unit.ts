import { conflict, invalid, notFound } from '../shared/domain-error';
import type { Decider, DecisionContext, DomainEvent } from '../shared/event';
import { requiredText } from '../shared/text';

/** district (区) > street (街道) or town (镇) > community (社区). */
export const ORG_UNIT_KINDS = ['district', 'street', 'town', 'community'] as const;
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number];
export const ORG_UNIT_KIND_NAMES: Record<OrgUnitKind, string> = { district: '区', street: '街道', town: '镇', community: '社区' };

const ALLOWED_PARENT: Record<OrgUnitKind, readonly OrgUnitKind[]> = {
  district: [],
  street: ['district'],
  town: ['district'],
  community: ['street', 'town'],
};

export type OrgUnitRegistered = DomainEvent<'OrgUnitRegistered.v1', {
  orgUnitId: string; kind: OrgUnitKind; name: string; parentId: string | null;
}>;
export type OrgUnitRenamed = DomainEvent<'OrgUnitRenamed.v1', { orgUnitId: string; name: string; previousName: string }>;
export type OrgUnitEvent = OrgUnitRegistered | OrgUnitRenamed;

export type RegisterOrgUnit = { type: 'RegisterOrgUnit'; orgUnitId: string; kind: OrgUnitKind; name: string; parentId?: string | null };
export type RenameOrgUnit = { type: 'RenameOrgUnit'; orgUnitId: string; name: string };
export type OrgUnitCommand = RegisterOrgUnit | RenameOrgUnit;

export interface OrgUnitState {
  readonly exists: boolean;
  readonly id: string;
  readonly kind: OrgUnitKind | null;
  readonly name: string;
  readonly parentId: string | null;
}

export interface OrgUnitContext extends DecisionContext {
  /** The state of the proposed parent unit (when the command names one). */
  readonly parent?: OrgUnitState;
}

export const orgUnitStream = (orgUnitId: string) => `orgunit-${orgUnitId}`;

const initialState: OrgUnitState = { exists: false, id: '', kind: null, name: '', parentId: null };

function evolve(state: OrgUnitState, event: OrgUnitEvent): OrgUnitState {
  switch (event.type) {
    case 'OrgUnitRegistered.v1':
      return { exists: true, id: event.data.orgUnitId, kind: event.data.kind, name: event.data.name, parentId: event.data.parentId };
    case 'OrgUnitRenamed.v1':
      return { ...state, name: event.data.name };
    default:
      return state;
  }
}

function decide(command: OrgUnitCommand, state: OrgUnitState, context: OrgUnitContext): OrgUnitEvent[] {
  switch (command.type) {
    case 'RegisterOrgUnit':
      return registerOrgUnit(command, state, context);
    case 'RenameOrgUnit':
      return renameOrgUnit(command, state);
  }
}

function registerOrgUnit(command: RegisterOrgUnit, state: OrgUnitState, context: OrgUnitContext): OrgUnitEvent[] {
  if (state.exists) throw conflict('org-unit-exists', '该单位已登记。(This org unit is already registered.)');
  if (!ORG_UNIT_KINDS.includes(command.kind)) throw invalid('org-unit-kind-unknown', '单位类型应为区、街道、镇或社区。(kind must be district, street, town or community.)');
  const name = requiredText(command.name, 'name', '单位名称', 100);
  const parentId = command.parentId ?? null;
  const allowed = ALLOWED_PARENT[command.kind];
  if (allowed.length === 0) {
    if (parentId !== null) throw invalid('district-has-no-parent', '区是最高一级，不能有上级单位。(A district has no parent unit.)');
  } else {
    if (parentId === null) {
      throw invalid('parent-required', `${ORG_UNIT_KIND_NAMES[command.kind]}必须属于一个上级单位。(A ${command.kind} needs a parentId.)`);
    }
    const parent = context.parent;
    if (!parent?.exists || parent.kind === null) throw invalid('parent-not-found', '找不到上级单位。(The parent unit does not exist.)');
    if (!allowed.includes(parent.kind)) {
      const names = allowed.map((k) => ORG_UNIT_KIND_NAMES[k]).join('或');
      throw invalid('parent-kind-not-allowed', `${ORG_UNIT_KIND_NAMES[command.kind]}的上级应为${names}。(A ${command.kind} belongs to a ${allowed.join(' or ')}.)`);
    }
  }
  return [{ type: 'OrgUnitRegistered.v1', data: { orgUnitId: command.orgUnitId, kind: command.kind, name, parentId } }];
}

function renameOrgUnit(command: RenameOrgUnit, state: OrgUnitState): OrgUnitEvent[] {
  if (!state.exists) throw notFound('org-unit-not-found', '找不到该单位。(Org unit not found.)');
  const name = requiredText(command.name, 'name', '单位名称', 100);
  if (name === state.name) throw conflict('name-unchanged', '新名称与原名称相同。(The new name is the same as the current one.)');
  return [{ type: 'OrgUnitRenamed.v1', data: { orgUnitId: state.id, name, previousName: state.name } }];
}

export const orgUnitDecider: Decider<OrgUnitCommand, OrgUnitEvent, OrgUnitState, OrgUnitContext> = {
  initialState,
  evolve,
  decide,
};
