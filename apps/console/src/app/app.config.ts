import {
  ApplicationConfig,
  EnvironmentInjector,
  inject,
  isDevMode,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
} from '@angular/core';
import { provideHttpClient, withFetch } from '@angular/common/http';
import { provideRouter, RouteReuseStrategy, withComponentInputBinding } from '@angular/router';
import { provideTransloco } from '@jsverse/transloco';
import { MatIconRegistry } from '@angular/material/icon';
import { appRoutes } from './app.routes';
import { provideApi } from './core/api';
import { I18nLoader, initialLang, LANGS } from './core/i18n';
import { OrganizationContext, OrganizationReuseStrategy } from './core/organization';
import { OPEN_PROFILE } from './core/profile';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(appRoutes, withComponentInputBinding()),
    { provide: RouteReuseStrategy, useClass: OrganizationReuseStrategy },
    provideHttpClient(withFetch()),
    provideApi(),
    provideTransloco({
      config: {
        availableLangs: [...LANGS],
        defaultLang: initialLang(),
        fallbackLang: 'en',
        reRenderOnLangChange: true,
        prodMode: !isDevMode(),
      },
      loader: I18nLoader,
    }),
    // The profile feature (and the dialog machinery) load on first use, not with the app.
    {
      provide: OPEN_PROFILE,
      useFactory: () => {
        const injector = inject(EnvironmentInjector);
        return async () => (await import('./profile/profile-dialog')).openProfile(injector);
      },
    },
    provideAppInitializer(() => {
      inject(MatIconRegistry).setDefaultFontSetClass('material-symbols-outlined');
      // Follows the router from its first navigation, so that the first requests name the organization.
      inject(OrganizationContext);
    }),
  ],
};
