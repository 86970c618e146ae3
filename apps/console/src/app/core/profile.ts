import { InjectionToken } from '@angular/core';

/**
 * Opens the signed-in person's profile dialog, and settles once it has closed. The app's root provides
 * it (app.config.ts, which loads the profile feature on first use), so that the shell's avatar and the
 * users page (your own row) open the profile without importing another feature's folder.
 */
export const OPEN_PROFILE = new InjectionToken<() => Promise<void>>('OPEN_PROFILE');
