import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from './fixtures';

/**
 * The letters as real PDFs: the decision notification (approved and refused) and the cover letter
 * are opened alone on the test page, printed to PDF by Chromium with the page's own @page size
 * (A4, the only paper a letter goes on), read back with poppler and rendered to PNG for a look.
 */
const OUT = 'artifacts/print';
mkdirSync(OUT, { recursive: true });

/** The lower-case Kazakh letters Russian lacks (һ is rare and not in the samples). */
const KAZAKH_LETTERS = ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'і'];

interface Sample {
  name: string;
  query: string;
  doc: 'notification' | 'coverLetter';
  /** What must be on paper, as whitespace-normalised text. */
  expected: string[];
  /** What must not be. */
  absent: string[];
}

const SAMPLES: Sample[] = [
  {
    name: 'notification-approved',
    query: 'doc=notification&format=A4&sample=approved',
    doc: 'notification',
    expected: [
      'ХАБАРЛАМА',
      'УВЕДОМЛЕНИЕ',
      'қабылданған шешім туралы',
      'о принятом решении',
      '№ ALM01-D01-000112',
      'Шығ. № ALM01-D01/000347, 02.04.2026',
      'Исх. № ALM01-D01/000347 от 02.04.2026',
      'Алматы қаласы Жұмыспен қамту және әлеуметтік бағдарламалар басқармасы',
      'Управление занятости и социальных программ города Алматы',
      '«Жетісу Құрылыс» ЖШС',
      'ЖСН / БСН: 180840012344',
      'ИИН / БИН: 180840012344',
      'Мекенжайы: Алматы қ., Әуезов ауданы, Төле би к-сі, 286/4',
      'Жұмыс берушілерге шетелдік жұмыс күшін тартуға рұқсат беру',
      'Выдача разрешения работодателям на привлечение иностранной рабочей силы',
      'ОҢ ШЕШІМ ҚАБЫЛДАНДЫ',
      'ПРИНЯТО ПОЛОЖИТЕЛЬНОЕ РЕШЕНИЕ',
      'Кепілдік құжаттарын ұсыныңыз',
      'Представьте гарантийные документы',
      'Мерзімі: 30.04.2026 дейін',
      'Срок: до 30.04.2026',
      'Мұқанов Ерлан Бақытжанұлы',
      'Главный специалист отдела трудовой миграции',
      'Басшы / Руководитель',
      'Тоқтарова Меруерт Сәбитқызы',
    ],
    absent: ['БАС ТАРТЫЛДЫ', 'ОТКАЗАНО', 'Мотивированный отказ', 'обжаловано'],
  },
  {
    name: 'notification-refused',
    query: 'doc=notification&format=A4&sample=refused',
    doc: 'notification',
    expected: [
      'ХАБАРЛАМА',
      'УВЕДОМЛЕНИЕ',
      '№ KRS01-D02-000487',
      'Күні: 31.03.2026',
      'Дата: 31.03.2026',
      'Сейітқали Әлия Нұрланқызы',
      'Қаскелең қ., Әл-Фараби к-сі, 17, 4-пәтер',
      'МЕМЛЕКЕТТІК ҚЫЗМЕТ КӨРСЕТУДЕН БАС ТАРТЫЛДЫ',
      'ОТКАЗАНО В ОКАЗАНИИ ГОСУДАРСТВЕННОЙ УСЛУГИ',
      'Дәлелді бас тарту',
      'Мотивированный отказ',
      'Бас тартудың құқықтық негізі',
      'Правовое основание отказа',
      'подпункт 2) пункта 10 Стандарта государственной услуги: среднедушевой доход семьи превышает черту бедности',
      'шағым жасауға болады',
      'может быть обжаловано',
      'Әбілқайыров Нұрсұлтан Ғабитұлы',
    ],
    absent: ['ОҢ ШЕШІМ', 'ПОЛОЖИТЕЛЬНОЕ', 'Срок: до', 'Исх. №'],
  },
  {
    name: 'coverLetter',
    query: 'doc=coverLetter&format=A4',
    doc: 'coverLetter',
    expected: [
      'ІЛЕСПЕ ХАТ',
      'СОПРОВОДИТЕЛЬНОЕ ПИСЬМО',
      'Шығ. № KRS01-D02/001187, 31.03.2026',
      'Исх. № KRS01-D02/001187 от 31.03.2026',
      'Кімге',
      'Кому',
      '040900, Алматы облысы, Қарасай ауданы',
      '«Мемлекеттік атаулы әлеуметтік көмек тағайындау» мемлекеттік қызмет көрсету нәтижесін жолдаймыз',
      'Направляем Вам результат оказания государственной услуги «Назначение государственной адресной социальной помощи»',
      'Пошта арқылы',
      'Почтой',
      'Пошта трек-нөмірі: RR123456785KZ',
      'Почтовый трек-номер: RR123456785KZ',
      'Қосымша:',
      'Приложение:',
      'Мемлекеттік қызмет көрсетуден бас тарту туралы хабарлама — 1 п.',
      'Уведомление об отказе в оказании государственной услуги на 1 л.',
      'Копия акта обследования материального положения семьи на 2 л.',
      'Баланың туу туралы куәлігінің түпнұсқасы',
      'Оригинал свидетельства о рождении ребенка',
      'Басшы / Руководитель',
      'Әбілқайыров Нұрсұлтан Ғабитұлы',
      'Орынд. / Исп.: Жұмабекова Г., тел. +7 727 271 05 12',
    ],
    absent: [],
  },
];

const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8' });
const squash = (s: string): string => s.replace(/\s+/g, ' ');

async function openAlone(page: Page, query: string): Promise<void> {
  await page.goto(`./#/print-test?${query}`);
  await expect(page.getByTestId('print-single')).toBeVisible();
  await expect(page.locator('#kense-print-root > .print-slot[data-ready="true"]')).toHaveCount(1);
}

test.describe('letters as PDF', () => {
  for (const sample of SAMPLES) {
    test(`${sample.name} on A4`, async ({ page }) => {
      const cspViolations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
      });
      await openAlone(page, sample.query);

      // Within the sheet (an A4 printer reaches to ~5 mm of the edge), the two columns lined up.
      const layout = await page.locator('#kense-print-root .print-sheet').evaluate((sheet) => {
        const box = sheet.getBoundingClientRect();
        const right = box.right - (5 * 96) / 25.4;
        const overflowing = [...sheet.querySelectorAll('*')]
          .filter((el) => !el.closest('svg') || el.tagName.toLowerCase() === 'svg')
          .filter((el) => {
            const r = el.getBoundingClientRect();
            return r.width > 0 && r.right > right + 0.5;
          })
          .map((el) => `${el.tagName}.${el.className.toString()}: ${(el.textContent ?? '').slice(0, 40)}`);
        const top = (lang: string, sel: string): number =>
          sheet.querySelector(`[data-lang="${lang}"] ${sel}`)?.getBoundingClientRect().top ?? -1;
        const rows = ['.print-addressee', '.print-letter-title', '.print-body'];
        return {
          format: sheet.getAttribute('data-format'),
          widthMm: (box.width * 25.4) / 96,
          overflowing,
          misaligned: rows.filter((r) => Math.abs(top('kk', r) - top('ru', r)) > 0.5 || top('kk', r) < 0),
          qrMm: ((sheet.querySelector('.print-qr-code')?.getBoundingClientRect().width ?? 0) * 25.4) / 96,
        };
      });
      expect(layout.format).toBe('A4');
      expect(Math.abs(layout.widthMm - 210)).toBeLessThan(0.5);
      expect(layout.overflowing).toEqual([]);
      expect(layout.misaligned).toEqual([]);
      expect(layout.qrMm).toBeGreaterThanOrEqual(25);

      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      const file = `${OUT}/${sample.name}-A4.pdf`;
      writeFileSync(file, new Uint8Array(pdf));

      // One A4 sheet.
      const info = run('pdfinfo', [file]);
      const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
      expect(size, info).not.toBeNull();
      expect(Math.abs(Number(size?.[1]) - 595.28)).toBeLessThan(1.5);
      expect(Math.abs(Number(size?.[2]) - 841.89)).toBeLessThan(1.5);
      expect(/Pages:\s+(\d+)/.exec(info)?.[1]).toBe('1');

      // Both languages as real text, Kazakh letters intact.
      const text = squash(run('pdftotext', ['-enc', 'UTF-8', file, '-']));
      for (const expected of sample.expected) expect(text, expected).toContain(expected);
      for (const absent of sample.absent) expect(text, absent).not.toContain(absent);
      for (const letter of KAZAKH_LETTERS) expect(text, letter).toContain(letter);
      expect(text).not.toContain('\uFFFD');

      // Every glyph from the bundled Noto Sans.
      const fonts = run('pdffonts', [file])
        .split('\n')
        .slice(2)
        .filter((l) => l.trim() !== '')
        .map((l) => l.split(/\s+/)[0] ?? '');
      expect(fonts.length).toBeGreaterThan(0);
      for (const font of fonts) expect(font).toMatch(/NotoSans/);

      run('pdftoppm', ['-png', '-r', '100', '-f', '1', '-l', '1', '-singlefile', file, `${OUT}/${sample.name}-A4`]);
      expect(cspViolations).toEqual([]);
    });
  }

  test('a letter is A4 only: a roll format or an unknown sample is refused on the test page', async ({ page }) => {
    await page.goto('./#/print-test?doc=notification&format=80mm');
    await expect(page.getByRole('alert')).toHaveText('Мұндай үлгі жоқ');
    await page.goto('./#/print-test?doc=coverLetter&format=58mm');
    await expect(page.getByRole('alert')).toHaveText('Мұндай үлгі жоқ');
    await page.goto('./#/print-test?doc=notification&format=A4&sample=nonsense');
    await expect(page.getByRole('alert')).toHaveText('Мұндай үлгі жоқ');
    await page.goto('./#/print-test?doc=ticket&format=A4&sample=refused');
    await expect(page.getByRole('alert')).toHaveText('Мұндай үлгі жоқ');
  });

  test('the test page shows both notifications and the cover letter, on A4 only', async ({ page }) => {
    await page.goto('./#/print-test');
    const notification = page.getByTestId('print-test-notification');
    await expect(notification.locator('.print-sheet[data-format="A4"]')).toHaveCount(2);
    await expect(notification.locator('.print-decision[data-decision="approved"]')).toHaveCount(2);
    await expect(notification.locator('.print-decision[data-decision="refused"]')).toHaveCount(2);
    const cover = page.getByTestId('print-test-coverLetter');
    await expect(cover.locator('.print-sheet')).toHaveCount(1);
    await expect(cover.locator('.print-sheet')).toHaveAttribute('data-format', 'A4');
    await expect(cover.locator('[data-lang="ru"]').getByTestId('print-enclosure-line')).toHaveCount(3);
    await expect(page.getByTestId('print-sample-notification-refused-A4')).toBeVisible();
    await expect(page.getByTestId('print-sample-coverLetter-A4')).toBeVisible();
  });

  test('the letters stay bilingual when the UI is in Russian', async ({ page }) => {
    await page.goto('./');
    await page.getByTestId('lang-ru').click();
    await openAlone(page, 'doc=coverLetter&format=A4');
    await expect(page.locator('.print-single h2')).toHaveText('Сопроводительное письмо · лист A4');
    const sheet = page.locator('#kense-print-root .print-sheet');
    await expect(sheet.locator('[data-lang="kk"]')).toContainText('Ілеспе хат');
    await expect(sheet.locator('[data-lang="ru"]')).toContainText('Сопроводительное письмо');
    await expect(sheet.getByTestId('print-tracking')).toHaveCount(2);
    await page.getByTestId('lang-kk').click();
  });
});
