import { DOCUMENT, inject, Injectable } from '@angular/core';
import { TranslocoService } from '@jsverse/transloco';
import { Language, Theme } from '@roster/console/data-access/generated';

/** Applies a language and a theme to the whole console at once, without reloading. */
@Injectable({ providedIn: 'root' })
export class Preferences {
  private readonly transloco = inject(TranslocoService);
  private readonly document = inject(DOCUMENT);

  apply(language: Language, theme: Theme): void {
    this.applyLanguage(language);
    this.applyTheme(theme);
  }

  applyLanguage(language: Language): void {
    const lang = language.toLowerCase();
    this.transloco.setActiveLang(lang);
    this.document.documentElement.lang = lang;
  }

  applyTheme(theme: Theme): void {
    const root = this.document.documentElement.classList;
    root.toggle('theme-light', theme === 'LIGHT');
    root.toggle('theme-dark', theme === 'DARK');
  }
}
