import type { ActivityEvent } from './activities/activity';
import type { CertificateEvent } from './certificates/certificate';
import type { OrgUnitEvent } from './org-units/org-unit';
import type { ServiceRecordEvent } from './records/service-record';
import type { TeamEvent } from './teams/team';
import type { VolunteerEvent } from './volunteers/volunteer';

/** Every event Haitang stores. */
export type HaitangEvent = OrgUnitEvent | TeamEvent | VolunteerEvent | ActivityEvent | ServiceRecordEvent | CertificateEvent;
export type HaitangEventType = HaitangEvent['type'];

/** The catalogue of stable event type names (DESIGN §3). */
export const EVENT_TYPES: readonly HaitangEventType[] = [
  'OrgUnitRegistered.v1', 'OrgUnitRenamed.v1',
  'TeamFormed.v1', 'VolunteerJoinedTeam.v1', 'VolunteerLeftTeam.v1',
  'VolunteerRegistered.v1', 'VolunteerProfileUpdated.v1', 'VolunteerPersonalDataErased.v1',
  'ActivityPlanned.v1', 'ActivityRescheduled.v1', 'ActivityCancelled.v1', 'VolunteerEnrolled.v1', 'EnrollmentWithdrawn.v1',
  'VolunteerCheckedIn.v1', 'VolunteerCheckedOut.v1', 'ActivityCompleted.v1',
  'ServiceRecorded.v1', 'ServiceApproved.v1', 'ServiceRejected.v1', 'ServiceAmended.v1', 'ServiceRevoked.v1',
  'CertificateIssued.v1', 'CertificateNumbered.v1',
];
