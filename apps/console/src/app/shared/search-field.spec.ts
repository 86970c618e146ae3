import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { SEARCH_DEBOUNCE_MS, SearchField } from './search-field';

@Component({
  selector: 'ro-search-test',
  imports: [SearchField],
  template: '<ro-search-field label="users.search" clearLabel="users.clearSearch" testId="user-search" (search)="asked.push($event)" />',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class SearchTest {
  readonly asked: string[] = [];
}

const pause = () => new Promise((r) => setTimeout(r, SEARCH_DEBOUNCE_MS + 50));

describe('SearchField', () => {
  async function render() {
    TestBed.configureTestingModule({
      imports: [
        SearchTest,
        TranslocoTestingModule.forRoot({ langs: { en: {} }, translocoConfig: { defaultLang: 'en', availableLangs: ['en'] } }),
      ],
    });
    const fixture = TestBed.createComponent(SearchTest);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const input = el.querySelector('input') as HTMLInputElement;
    const type = async (value: string) => {
      input.value = value;
      input.dispatchEvent(new Event('input'));
      await fixture.whenStable();
    };
    const clearButton = () => el.querySelector('button');
    return { fixture, el, input, type, clearButton, asked: fixture.componentInstance.asked };
  }

  it('asks once typing pauses, with the trimmed text, never twice the same', async () => {
    const { input, type, asked } = await render();
    expect(input.getAttribute('data-testid')).toBe('user-search');
    await type('g');
    await type('gr');
    await type(' grace ');
    expect(asked).toEqual([]);
    await pause();
    expect(asked).toEqual(['grace']);
    await type('grace');
    await pause();
    expect(asked).toEqual(['grace']);
  });

  it('offers a named clear button while it holds text; clearing asks for everything and returns to the box', async () => {
    const { fixture, el, input, type, clearButton, asked } = await render();
    expect(clearButton()).toBeNull();
    await type('ada');
    await pause();
    expect(clearButton()?.getAttribute('aria-label')).toBe('users.clearSearch');
    clearButton()?.click();
    await fixture.whenStable();
    expect(input.value).toBe('');
    expect(clearButton()).toBeNull();
    expect(el.ownerDocument.activeElement).toBe(input);
    await pause();
    expect(asked).toEqual(['ada', '']);
  });
});
