import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  DOCUMENT,
  ElementRef,
  inject,
  OnInit,
  signal,
  viewChild,
  viewChildren,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router } from '@angular/router';
import { FormsModule, NgForm } from '@angular/forms';
import { MatTableModule } from '@angular/material/table';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatError, MatFormField, MatHint, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatDatepicker, MatDatepickerInput, MatDatepickerToggle } from '@angular/material/datepicker';
import { MatInput } from '@angular/material/input';
import { MatOption, MatSelect } from '@angular/material/select';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { AuditActionsGQL, AuditEventsGQL, AuditEventsQuery } from '@roster/console/data-access/generated';
import { injectLang } from '../core/i18n';
import { CursorList, CursorPage } from '../shared/cursor-list';
import { provideConsoleDates } from '../shared/dates';
import { downloadInFrame, exportErrorKey } from '../shared/download';
import { FormStatus } from '../shared/form-status';
import { Notifier } from '../shared/notifier';
import { TableFrame } from '../shared/table-frame';
import { ExactTimePipe, RelativeTimePipe } from '../shared/time';
import { actionKey } from '../shared/audit-action';
import {
  ActingToken,
  actingToken,
  AuditFilterForm,
  AuditFilterVars,
  dateOf,
  dayOf,
  DetailEntry,
  detailEntries,
  EMPTY_FILTER,
  exportQuery,
  filterFromParams,
  filterParams,
  filterVars,
} from './audit-filter';

type AuditEvent = AuditEventsQuery['auditEvents']['events'][number];

const PAGE_SIZE = 50;

/**
 * The audit log (audit:read): who did what to whom and when, newest first, a page at a time by cursor;
 * filters by actor, target, action and dates; each event's details on demand; CSV export of the filter.
 */
@Component({
  selector: 'ro-audit-page',
  imports: [
    FormsModule,
    MatTableModule,
    MatButton,
    MatIconButton,
    MatIcon,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatSuffix,
    MatInput,
    MatDatepicker,
    MatDatepickerInput,
    MatDatepickerToggle,
    MatSelect,
    MatOption,
    TranslocoPipe,
    RelativeTimePipe,
    ExactTimePipe,
    TableFrame,
    FormStatus,
  ],
  providers: [provideConsoleDates()],
  templateUrl: './audit-page.html',
  styleUrl: './audit-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditPage implements OnInit {
  private readonly eventsGql = inject(AuditEventsGQL);
  private readonly actionsGql = inject(AuditActionsGQL);
  private readonly transloco = inject(TranslocoService);
  private readonly notifier = inject(Notifier);
  private readonly document = inject(DOCUMENT);
  private readonly destroyRef = inject(DestroyRef);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);

  protected readonly columns = ['expand', 'createdAt', 'actor', 'action', 'target'];
  /** The events of the applied filter, newest first, 50 more at a time ("Load more"). */
  protected readonly list = new CursorList<AuditEvent>((after) => this.fetch(after), { key: (e) => e.id });
  protected readonly actions = signal<string[]>([]);
  protected readonly expanded = signal<ReadonlySet<string>>(new Set());
  protected readonly lang = injectLang();
  /** "1 event shown", "50 events shown". */
  protected readonly shown = computed(() => {
    const n = this.list.rows().length;
    return { key: n === 1 ? 'audit.shownOne' : 'audit.shown', count: n.toLocaleString(this.lang()) };
  });
  /** What the fields hold (applied with the Filter button, Enter, or choosing an action). */
  protected form: AuditFilterForm = { ...EMPTY_FILTER };
  /** The date fields' days (local midnight), written into `form` as YYYY-MM-DD when applied. */
  protected fromDate: Date | null = null;
  protected toDate: Date | null = null;
  /** The days the API takes: years 1 to 9999. */
  protected readonly firstDay = dateOf('0001-01-01');
  protected readonly lastDay = dateOf('9999-12-31');
  private readonly filters = viewChild.required(NgForm);
  private readonly dateInputs = viewChildren<ElementRef<HTMLInputElement>>('dateInput');
  /** The filter of the rows shown (and of the export). */
  private applied: AuditFilterVars = filterVars(EMPTY_FILTER);

  ngOnInit(): void {
    // The filter lives in the URL: links, reloads, Back and Forward show the same events.
    this.route.queryParamMap.pipe(takeUntilDestroyed(this.destroyRef)).subscribe((params) => {
      this.form = filterFromParams((name) => params.get(name));
      this.fromDate = dateOf(this.form.fromDate);
      this.toDate = dateOf(this.form.toDate);
      this.clearUnreadDates();
      this.applied = filterVars(this.form);
      this.loadFirst();
    });
    void this.loadActions();
  }

  private async loadActions(): Promise<void> {
    try {
      const result = await firstValueFrom(this.actionsGql.fetch({ fetchPolicy: 'network-only' }));
      this.actions.set(result.data?.auditActions ?? []);
    } catch {
      // The select then offers "All actions" only; the table reports errors.
    }
  }

  /** The first page of the applied filter, every event folded. */
  private loadFirst(): void {
    this.expanded.set(new Set());
    void this.list.first();
  }

  private async fetch(after: string | null): Promise<CursorPage<AuditEvent>> {
    const result = await firstValueFrom(
      this.eventsGql.fetch({ variables: { ...this.applied, first: PAGE_SIZE, after }, fetchPolicy: 'network-only' }),
    );
    const page = result.data?.auditEvents;
    if (!page) throw result.error ?? new Error('no data');
    return { rows: page.events, endCursor: page.endCursor, hasNextPage: page.hasNextPage };
  }

  /** Applies the fields, unless a date field holds something that is not a date (it then says so). */
  applyFilter(): void {
    const filters = this.filters();
    if (filters.invalid) {
      filters.control.markAllAsTouched();
      return;
    }
    this.form = { ...this.form, fromDate: dayOf(this.fromDate), toDate: dayOf(this.toDate) };
    this.navigate();
  }

  private navigate(): void {
    const tree = this.router.createUrlTree([], { relativeTo: this.route, queryParams: filterParams(this.form) });
    if (this.router.serializeUrl(tree) !== this.router.url) {
      void this.router.navigateByUrl(tree);
    } else {
      // The same filter again: fetch anew (newer events may have come).
      this.applied = filterVars(this.form);
      this.loadFirst();
    }
  }

  resetFilter(): void {
    this.form = { ...EMPTY_FILTER };
    this.fromDate = null;
    this.toDate = null;
    this.clearUnreadDates();
    this.navigate();
  }

  /**
   * Empties a date field still showing text that is not a date once its day is none (the datepicker
   * keeps such text when its value stays none), as if the person had cleared it.
   */
  private clearUnreadDates(): void {
    for (const { nativeElement: input } of this.dateInputs()) {
      const day = input.name === 'fromDate' ? this.fromDate : this.toDate;
      if (!day && input.value) {
        input.value = '';
        input.dispatchEvent(new Event('input'));
      }
    }
  }

  /** Starts the browser's download of the events matching the applied filter. */
  exportCsv(): void {
    const query = exportQuery(this.applied);
    downloadInFrame(this.document, `/api/export/audit${query ? `?${query}` : ''}`, 'audit', (body) => {
      this.notifier.say(exportErrorKey(body, 'audit.exportFailed'));
    });
    this.notifier.say('audit.exportStarted');
  }

  toggle(event: AuditEvent): void {
    const next = new Set(this.expanded());
    if (next.has(event.id)) next.delete(event.id);
    else next.add(event.id);
    this.expanded.set(next);
  }

  protected isExpanded = (event: AuditEvent) => this.expanded().has(event.id);
  /** The detail row's own template (multiTemplateDataRows: shown under an expanded row). */
  protected readonly isDetailRow = (_index: number, event: AuditEvent) => this.expanded().has(event.id);

  protected details(event: AuditEvent): DetailEntry[] {
    return detailEntries(event.details);
  }

  /** The API token the event was made with (shown under the actor and in the details), if any. */
  protected token(event: AuditEvent): ActingToken | null {
    return actingToken(event.details);
  }

  protected readonly actionKey = actionKey;

  /** An action in words, in the viewer's language (its code when it is not a known one). */
  protected actionName(action: string): string {
    const key = actionKey(action);
    return key ? this.transloco.translate(key) : action;
  }
}
