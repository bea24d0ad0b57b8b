import type { PrintJob, ReceiptData, RefusalReceiptData, TicketData } from './types';

/**
 * Sample documents for the test page and the test print: synthetic people (the IINs are made up
 * and pass the check digit), a real kind of service, every Kazakh letter somewhere.
 */
// 20 March 2026, 10:42 in Kazakhstan (UTC+5).
const REGISTERED_AT = Date.UTC(2026, 2, 20, 5, 42);
// Five working days later: 21–25 March are Nauryz and days off, so Wednesday 1 April 2026.
const RESULT_DUE_AT = Date.UTC(2026, 3, 1, 4, 0);

const slip: TicketData = {
  regNumber: 'KRS01-D02-000487',
  registeredAt: REGISTERED_AT,
  service: {
    kk: 'Мемлекеттік атаулы әлеуметтік көмек тағайындау',
    ru: 'Назначение государственной адресной социальной помощи',
  },
  variant: null,
  resultDueAt: RESULT_DUE_AT,
  provider: {
    kk: 'Қарасай ауданының жұмыспен қамту және әлеуметтік бағдарламалар бөлімі',
    ru: 'Отдел занятости и социальных программ Карасайского района',
  },
  officialName: 'Жұмабекова Гүлнұр',
  applicantName: 'Сейітқали Әлия Нұрланқызы',
  applicantId: '950312400515',
  representative: null,
  phone: '+7 701 234 56 78',
};

export const SAMPLE_TICKET: TicketData = slip;

export const SAMPLE_RECEIPT: ReceiptData = {
  ...slip,
  documents: [
    { name: { kk: 'Өтініш (белгіленген нысан бойынша)', ru: 'Заявление (по установленной форме)' }, original: false },
    { name: { kk: 'Жеке басын куәландыратын құжат', ru: 'Документ, удостоверяющий личность' }, original: true },
    { name: { kk: 'Баланың туу туралы куәлігі', ru: 'Свидетельство о рождении ребенка' }, original: true },
    {
      name: { kk: 'Отбасы мүшелерінің табысы туралы мәліметтер', ru: 'Сведения о доходах членов семьи' },
      original: false,
    },
    {
      name: { kk: 'Тұрғылықты жері бойынша тіркелу туралы анықтама', ru: 'Справка о регистрации по месту жительства' },
      original: false,
    },
  ],
};

const { resultDueAt: _none, ...refusalSlip } = slip;
export const SAMPLE_REFUSAL: RefusalReceiptData = {
  ...refusalSlip,
  regNumber: 'KRS01-D02-000488',
  representative: { fullName: 'Оспанова Ұлжан Ерғалиқызы', poaNumber: '2026-0311', poaDate: '2026-03-11' },
  missing: [
    { kk: 'Отбасы мүшелерінің табысы туралы мәліметтер', ru: 'Сведения о доходах членов семьи' },
    {
      kk: 'Жеке басын куәландыратын құжат (қолданылу мерзімі өткен)',
      ru: 'Документ, удостоверяющий личность (срок действия истек)',
    },
  ],
  reason: 'incomplete',
  note: 'Жеке куәліктің мерзімі 2026 жылғы 12 наурызда өткен. Үй шаруашылығы туралы мәлімет ұсынылмаған.',
};

export const SAMPLE_JOBS: Record<PrintJob['doc'], PrintJob> = {
  ticket: { doc: 'ticket', data: SAMPLE_TICKET },
  receipt: { doc: 'receipt', data: SAMPLE_RECEIPT },
  refusal: { doc: 'refusal', data: SAMPLE_REFUSAL },
};

export const DOC_KINDS: readonly PrintJob['doc'][] = ['ticket', 'receipt', 'refusal'];

/** The test ticket of the settings panel: the sample, with the desk's official and the time now. */
export function testTicket(officialName: string | null, now: number): PrintJob {
  return {
    doc: 'ticket',
    data: {
      ...SAMPLE_TICKET,
      regNumber: 'TEST-000000',
      registeredAt: now,
      resultDueAt: null,
      officialName: officialName ?? SAMPLE_TICKET.officialName,
    },
  };
}
