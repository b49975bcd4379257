import { Length } from 'class-validator';

/** The one password rule (user creation, owner at tenant creation, change, reset): 10 to 200 characters. */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;
export const IsPassword = () => Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH);
