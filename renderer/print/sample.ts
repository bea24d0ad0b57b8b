import type {
  AgendaData,
  CoverLetterData,
  NotificationData,
  PrintJob,
  ReceiptData,
  RefusalReceiptData,
  TicketData,
} from './types';

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

// Thursday 2 April 2026 in Kazakhstan; 20 working days later is Thursday 30 April 2026.
const DECIDED_AT = Date.UTC(2026, 3, 2, 6, 15);
// Tuesday 31 March 2026: the assistance decided before its result date.
const ASSISTANCE_DECIDED_AT = Date.UTC(2026, 2, 31, 9, 30);
const GUARANTEE_DUE_AT = Date.UTC(2026, 3, 30, 4, 0);

/** A permit granted to an employer (a made-up BIN that passes the check), who must now bring the guarantee. */
export const SAMPLE_NOTIFICATION_APPROVED: NotificationData = {
  regNumber: 'ALM01-D01-000112',
  outgoingNumber: 'ALM01-D01/000347',
  issuedAt: DECIDED_AT,
  provider: {
    kk: 'Алматы қаласы Жұмыспен қамту және әлеуметтік бағдарламалар басқармасы',
    ru: 'Управление занятости и социальных программ города Алматы',
  },
  service: {
    kk: 'Жұмыс берушілерге шетелдік жұмыс күшін тартуға рұқсат беру',
    ru: 'Выдача разрешения работодателям на привлечение иностранной рабочей силы',
  },
  applicantName: '«Жетісу Құрылыс» ЖШС',
  applicantId: '180840012344',
  applicantAddress: 'Алматы қ., Әуезов ауданы, Төле би к-сі, 286/4',
  decision: 'approved',
  ground: null,
  nextSteps: {
    kk: 'Кепілдік құжаттарын ұсыныңыз: банк пен жұмыс беруші арасындағы шарттың және кепілдік жарнаның енгізілгенін растайтын құжаттың көшірмелері. Олар ұсынылғаннан кейін рұқсат беріледі.',
    ru: 'Представьте гарантийные документы: копии договора между банком и работодателем и документа, подтверждающего внесение гарантийного взноса. После их представления будет выдано разрешение.',
  },
  dueAt: GUARANTEE_DUE_AT,
  officialName: 'Мұқанов Ерлан Бақытжанұлы',
  officialPosition: {
    kk: 'Еңбек көші-қоны бөлімінің бас маманы',
    ru: 'Главный специалист отдела трудовой миграции',
  },
  headName: 'Тоқтарова Меруерт Сәбитқызы',
};

/** Targeted social assistance refused, with the legal ground (мотивированный отказ). */
export const SAMPLE_NOTIFICATION_REFUSED: NotificationData = {
  regNumber: slip.regNumber,
  outgoingNumber: null,
  issuedAt: ASSISTANCE_DECIDED_AT,
  provider: slip.provider,
  service: slip.service,
  applicantName: slip.applicantName,
  applicantId: slip.applicantId,
  applicantAddress: 'Алматы облысы, Қарасай ауданы, Қаскелең қ., Әл-Фараби к-сі, 17, 4-пәтер',
  decision: 'refused',
  ground:
    'подпункт 2) пункта 10 Стандарта государственной услуги: среднедушевой доход семьи превышает черту бедности (акт обследования участковой комиссии от 27.03.2026 № 41)',
  nextSteps: null,
  dueAt: null,
  officialName: 'Жұмабекова Гүлнұр',
  officialPosition: {
    kk: 'Әлеуметтік көмек бөлімінің жетекші маманы',
    ru: 'Ведущий специалист отдела социальной помощи',
  },
  headName: 'Әбілқайыров Нұрсұлтан Ғабитұлы',
};

/** The refusal of the assistance sent by mail, with the original handed back. */
export const SAMPLE_COVER_LETTER: CoverLetterData = {
  regNumber: slip.regNumber,
  outgoingNumber: 'KRS01-D02/001187',
  issuedAt: ASSISTANCE_DECIDED_AT,
  provider: slip.provider,
  service: slip.service,
  applicantName: slip.applicantName,
  applicantAddress: '040900, Алматы облысы, Қарасай ауданы, Қаскелең қ., Әл-Фараби к-сі, 17, 4-пәтер',
  enclosures: [
    {
      name: {
        kk: 'Мемлекеттік қызмет көрсетуден бас тарту туралы хабарлама',
        ru: 'Уведомление об отказе в оказании государственной услуги',
      },
      sheets: 1,
    },
    {
      name: {
        kk: 'Отбасының материалдық жағдайын тексеру актісінің көшірмесі',
        ru: 'Копия акта обследования материального положения семьи',
      },
      sheets: 2,
    },
    {
      name: { kk: 'Баланың туу туралы куәлігінің түпнұсқасы', ru: 'Оригинал свидетельства о рождении ребенка' },
      sheets: null,
    },
  ],
  mode: 'mail',
  tracking: 'RR123456785KZ',
  headName: 'Әбілқайыров Нұрсұлтан Ғабитұлы',
  executorName: 'Жұмабекова Г.',
  executorPhone: '+7 727 271 05 12',
};

const AGENDA_ITEMS = [
  {
    regNumber: 'ALM01-D01-000487',
    applicant: '«Құрылыс-Сервис» ЖШС',
    service: {
      kk: 'Шетелдік жұмыс күшін тартуға рұқсат беру',
      ru: 'Выдача разрешения на привлечение иностранной рабочей силы',
    },
    dueAt: Date.UTC(2026, 3, 10, 13),
  },
  {
    regNumber: 'ALM01-D02-000112',
    applicant: 'Сейітқали Әлия Нұрланқызы',
    service: {
      kk: 'Мемлекеттік атаулы әлеуметтік көмек тағайындау',
      ru: 'Назначение государственной адресной социальной помощи',
    },
    dueAt: Date.UTC(2026, 3, 14, 13),
  },
];

/** The commission's agenda as a desk in each language prints it. */
export const SAMPLE_AGENDA: Record<'kk' | 'ru', AgendaData> = {
  kk: {
    language: 'kk',
    office: 'ALM01',
    providers: ['Алматы қаласының Жұмыспен қамту және әлеуметтік бағдарламалар басқармасы'],
    meetingDate: '2026-03-25',
    minutesNo: '14',
    items: AGENDA_ITEMS.map((i) => ({ ...i, service: i.service.kk })),
    members: ['Қасымов Ермек Болатұлы', 'Ахметова Сәуле Қайратқызы', 'Ким Олег Викторович'],
    secretary: 'Қасымов Ермек Болатұлы',
  },
  ru: {
    language: 'ru',
    office: 'ALM01',
    providers: ['Управление занятости и социальных программ города Алматы'],
    meetingDate: '2026-03-25',
    minutesNo: '14',
    items: AGENDA_ITEMS.map((i) => ({ ...i, service: i.service.ru })),
    members: ['Қасымов Ермек Болатұлы', 'Ахметова Сәуле Қайратқызы', 'Ким Олег Викторович'],
    secretary: 'Қасымов Ермек Болатұлы',
  },
};

export const SAMPLE_JOBS: Record<PrintJob['doc'], PrintJob> = {
  ticket: { doc: 'ticket', data: SAMPLE_TICKET },
  receipt: { doc: 'receipt', data: SAMPLE_RECEIPT },
  refusal: { doc: 'refusal', data: SAMPLE_REFUSAL },
  notification: { doc: 'notification', data: SAMPLE_NOTIFICATION_APPROVED },
  coverLetter: { doc: 'coverLetter', data: SAMPLE_COVER_LETTER },
  agenda: { doc: 'agenda', data: SAMPLE_AGENDA.kk },
};

/**
 * Documents with more than one sample (`#/print-test?doc=notification&format=A4&sample=refused`);
 * the first is the one in SAMPLE_JOBS.
 */
export const SAMPLE_VARIANTS: Partial<Record<PrintJob['doc'], Record<string, PrintJob>>> = {
  notification: {
    approved: { doc: 'notification', data: SAMPLE_NOTIFICATION_APPROVED },
    refused: { doc: 'notification', data: SAMPLE_NOTIFICATION_REFUSED },
  },
  agenda: {
    kk: { doc: 'agenda', data: SAMPLE_AGENDA.kk },
    ru: { doc: 'agenda', data: SAMPLE_AGENDA.ru },
  },
};

/** The sample of a document: its only one, or the named variant (null for a name it does not have). */
export function sampleJob(doc: PrintJob['doc'], variant: string | null): PrintJob | null {
  if (variant === null) return SAMPLE_JOBS[doc];
  return SAMPLE_VARIANTS[doc]?.[variant] ?? null;
}

export const DOC_KINDS: readonly PrintJob['doc'][] = [
  'ticket',
  'receipt',
  'refusal',
  'notification',
  'coverLetter',
  'agenda',
];

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
