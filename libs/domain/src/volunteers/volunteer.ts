import { type Occupation, OCCUPATION_CODES } from '../shared/categories';
import { conflict, invalid, notFound } from '../shared/domain-error';
import type { Decider, DecisionContext, DomainEvent } from '../shared/event';
import { optionalText, requiredText } from '../shared/text';
import type { OrgUnitState } from '../org-units/org-unit';

/**
 * Personal data (real name, phone, ID number) never enters an event in clear:
 * the ledger seals it with the volunteer's own key first, and the event holds
 * only the sealed envelope. Erasing destroys the key (crypto-shredding).
 */
export type SealedPersonalData = string;

export interface VolunteerAttributes {
  displayName: string;
  homeOrgUnitId: string;
  partyMember: boolean;
  senior: boolean;
  occupation: Occupation;
}

export type VolunteerRegistered = DomainEvent<'VolunteerRegistered.v1', VolunteerAttributes & {
  volunteerId: string; personalData: SealedPersonalData | null;
}>;
export type VolunteerProfileUpdated = DomainEvent<'VolunteerProfileUpdated.v1', Partial<VolunteerAttributes> & {
  volunteerId: string; personalData?: SealedPersonalData;
}>;
export type VolunteerPersonalDataErased = DomainEvent<'VolunteerPersonalDataErased.v1', { volunteerId: string; reason: string | null }>;
export type VolunteerEvent = VolunteerRegistered | VolunteerProfileUpdated | VolunteerPersonalDataErased;

export type RegisterVolunteer = {
  type: 'RegisterVolunteer'; volunteerId: string; homeOrgUnitId: string; displayName: string;
  partyMember?: boolean; senior?: boolean; occupation?: Occupation; personalData?: SealedPersonalData | null;
};
export type UpdateVolunteerProfile = {
  type: 'UpdateVolunteerProfile'; volunteerId: string;
  changes: Partial<VolunteerAttributes> & { personalData?: SealedPersonalData };
};
export type EraseVolunteerPersonalData = { type: 'EraseVolunteerPersonalData'; volunteerId: string; reason?: string | null };
export type VolunteerCommand = RegisterVolunteer | UpdateVolunteerProfile | EraseVolunteerPersonalData;

export interface VolunteerState extends VolunteerAttributes {
  readonly exists: boolean;
  readonly id: string;
  readonly hasPersonalData: boolean;
  readonly erased: boolean;
}

export interface VolunteerContext extends DecisionContext {
  /** State of the home org unit named by the command, when it names one. */
  readonly homeOrgUnit?: OrgUnitState;
}

export const volunteerStream = (volunteerId: string) => `volunteer-${volunteerId}`;

const initialState: VolunteerState = {
  exists: false, id: '', displayName: '', homeOrgUnitId: '', partyMember: false, senior: false,
  occupation: 'other', hasPersonalData: false, erased: false,
};

function evolve(state: VolunteerState, event: VolunteerEvent): VolunteerState {
  switch (event.type) {
    case 'VolunteerRegistered.v1': {
      const { volunteerId, personalData, ...attributes } = event.data;
      return { ...state, ...attributes, exists: true, id: volunteerId, hasPersonalData: personalData !== null };
    }
    case 'VolunteerProfileUpdated.v1': {
      const { volunteerId: _id, personalData, ...attributes } = event.data;
      return { ...state, ...attributes, hasPersonalData: state.hasPersonalData || personalData !== undefined, erased: personalData !== undefined ? false : state.erased };
    }
    case 'VolunteerPersonalDataErased.v1':
      return { ...state, hasPersonalData: false, erased: true };
    default:
      return state;
  }
}

function requireHomeUnit(context: VolunteerContext): void {
  if (!context.homeOrgUnit?.exists) throw invalid('home-org-unit-not-found', '找不到所属社区（单位）。(The home org unit does not exist.)');
}

function decide(command: VolunteerCommand, state: VolunteerState, context: VolunteerContext): VolunteerEvent[] {
  switch (command.type) {
    case 'RegisterVolunteer': {
      if (state.exists) throw conflict('volunteer-exists', '该志愿者已登记。(This volunteer is already registered.)');
      requireHomeUnit(context);
      const occupation = command.occupation ?? 'other';
      if (!OCCUPATION_CODES.includes(occupation)) throw invalid('occupation-unknown', '职业类别不正确。(Unknown occupation.)');
      return [{
        type: 'VolunteerRegistered.v1',
        data: {
          volunteerId: command.volunteerId,
          homeOrgUnitId: command.homeOrgUnitId,
          displayName: requiredText(command.displayName, 'displayName', '志愿者称呼', 50),
          partyMember: command.partyMember ?? false,
          senior: command.senior ?? false,
          occupation,
          personalData: command.personalData ?? null,
        },
      }];
    }
    case 'UpdateVolunteerProfile': {
      if (!state.exists) throw notFound('volunteer-not-found', '找不到该志愿者。(Volunteer not found.)');
      const changes: Partial<VolunteerAttributes> & { personalData?: SealedPersonalData } = {};
      const c = command.changes;
      if (c.displayName !== undefined) {
        const name = requiredText(c.displayName, 'displayName', '志愿者称呼', 50);
        if (name !== state.displayName) changes.displayName = name;
      }
      if (c.homeOrgUnitId !== undefined && c.homeOrgUnitId !== state.homeOrgUnitId) {
        requireHomeUnit(context);
        changes.homeOrgUnitId = c.homeOrgUnitId;
      }
      if (c.partyMember !== undefined && c.partyMember !== state.partyMember) changes.partyMember = c.partyMember;
      if (c.senior !== undefined && c.senior !== state.senior) changes.senior = c.senior;
      if (c.occupation !== undefined && c.occupation !== state.occupation) {
        if (!OCCUPATION_CODES.includes(c.occupation)) throw invalid('occupation-unknown', '职业类别不正确。(Unknown occupation.)');
        changes.occupation = c.occupation;
      }
      if (c.personalData !== undefined) changes.personalData = c.personalData;
      if (Object.keys(changes).length === 0) throw conflict('nothing-to-change', '资料没有变化。(Nothing to change.)');
      return [{ type: 'VolunteerProfileUpdated.v1', data: { volunteerId: state.id, ...changes } }];
    }
    case 'EraseVolunteerPersonalData': {
      if (!state.exists) throw notFound('volunteer-not-found', '找不到该志愿者。(Volunteer not found.)');
      if (state.erased) throw conflict('already-erased', '该志愿者的个人信息已删除。(Personal data was already erased.)');
      return [{ type: 'VolunteerPersonalDataErased.v1', data: { volunteerId: state.id, reason: optionalText(command.reason, 'reason', '原因') } }];
    }
  }
}

export const volunteerDecider: Decider<VolunteerCommand, VolunteerEvent, VolunteerState, VolunteerContext> = {
  initialState, evolve, decide,
};
