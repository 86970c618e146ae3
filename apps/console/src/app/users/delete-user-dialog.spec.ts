import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { of } from 'rxjs';
import { DeleteUserGQL } from '@roster/console/data-access/generated';
import { DeleteUserDialog } from './delete-user-dialog';

describe('DeleteUserDialog', () => {
  const mutate = jest.fn(() => of({ data: { deleteUser: true } }));
  const close = jest.fn();

  async function render() {
    await TestBed.configureTestingModule({
      imports: [DeleteUserDialog, TranslocoTestingModule.forRoot({ langs: { en: {} }, translocoConfig: { defaultLang: 'en' } })],
      providers: [
        { provide: MAT_DIALOG_DATA, useValue: { id: 'u1', email: 'ada@example.com' } },
        { provide: MatDialogRef, useValue: { close } },
        { provide: DeleteUserGQL, useValue: { mutate } },
      ],
    }).compileComponents();
    const fixture = TestBed.createComponent(DeleteUserDialog);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const input = el.querySelector('input') as HTMLInputElement;
    const button = el.querySelector('button[type=submit]') as HTMLButtonElement;
    const type = async (text: string) => {
      input.value = text;
      input.dispatchEvent(new Event('input'));
      await fixture.whenStable();
    };
    return { fixture, button, type };
  }

  beforeEach(() => jest.clearAllMocks());

  it('keeps Delete disabled until DELETE is typed', async () => {
    const { button, type } = await render();
    expect(button.disabled).toBe(true);
    await type('delete');
    expect(button.disabled).toBe(true);
    await type('DELET');
    expect(button.disabled).toBe(true);
    await type('DELETE');
    expect(button.disabled).toBe(false);
  });

  it('sends the confirmation word and closes with true', async () => {
    const { button, type } = await render();
    await type('DELETE');
    button.click();
    await new Promise((r) => setTimeout(r));
    expect(mutate).toHaveBeenCalledWith({ variables: { input: { id: 'u1', confirmation: 'DELETE' } } });
    expect(close).toHaveBeenCalledWith(true);
  });
});
