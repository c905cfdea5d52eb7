import type { PersonalData } from './personal-data';

/**
 * Seals personal data with a key of the volunteer's own, kept outside the event
 * log. Destroying the key (crypto-shredding) makes every sealed copy unreadable,
 * in events, backups and replicas alike.
 */
export interface PersonalDataVault {
  seal(volunteerId: string, data: PersonalData): Promise<string>;
  /** The data, or null once the volunteer's key was destroyed. */
  open(volunteerId: string, sealed: string): Promise<PersonalData | null>;
  destroyKey(volunteerId: string): Promise<void>;
  close(): Promise<void>;
}

export const PERSONAL_DATA_VAULT = Symbol('PersonalDataVault');
