import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from './fixtures';

/**
 * The printed forms as real PDFs: every document in every paper format is opened alone on the
 * test page, printed to PDF by Chromium with the page's own @page size, and read back with poppler
 * (text, page size, fonts) and rendered to PNG for a human look.
 */
const OUT = 'artifacts/print';
mkdirSync(OUT, { recursive: true });

const DOCS = ['ticket', 'receipt', 'refusal'] as const;
const FORMATS = ['58mm', '80mm', 'A4'] as const;
type Doc = (typeof DOCS)[number];
type Format = (typeof FORMATS)[number];

const PT_PER_MM = 72 / 25.4;
const PAGE_WIDTH_PT: Record<Format, number> = { '58mm': 58 * PT_PER_MM, '80mm': 80 * PT_PER_MM, A4: 595.28 };
/** The lower-case Kazakh letters Russian lacks (һ is rare and not in the samples). */
const KAZAKH_LETTERS = ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'і'];

/** What each sample must carry on paper, as whitespace-normalised text. */
const EXPECTED: Record<Doc, string[]> = {
  ticket: [
    'KRS01-D02-000487',
    'ҚҰЖАТТАРДЫ ҚАБЫЛДАУ ТУРАЛЫ ТАЛОН',
    'ТАЛОН О ПРИЕМЕ ДОКУМЕНТОВ',
    'ҮЗБЕЛІ ТАЛОН',
    'ОТРЫВНОЙ ТАЛОН',
    'қию сызығы',
    'линия отреза',
    '20.03.2026 10:42',
    '01.04.2026',
    'Жұмабекова Гүлнұр',
    'Мемлекеттік атаулы әлеуметтік көмек тағайындау',
    'Назначение государственной адресной социальной помощи',
  ],
  receipt: [
    'KRS01-D02-000487',
    'ҚҰЖАТТАРДЫ ҚАБЫЛДАУ ТУРАЛЫ ҚОЛХАТ',
    'РАСПИСКА О ПРИЕМЕ ДОКУМЕНТОВ',
    'Сейітқали Әлия Нұрланқызы',
    '950312400515',
    'Барлығы: 5 құжат',
    'Всего: 5 документов',
    'Баланың туу туралы куәлігі',
    'Свидетельство о рождении ребенка',
    'түпнұсқасы салыстырылып, қайтарылды',
    'оригинал сверен и возвращен',
    '20.03.2026 10:42',
    '01.04.2026',
    'Жұмабекова Гүлнұр',
  ],
  refusal: [
    'KRS01-D02-000488',
    'ҚҰЖАТТАРДЫ ҚАБЫЛДАУДАН БАС ТАРТУ ТУРАЛЫ ҚОЛХАТ',
    'РАСПИСКА ОБ ОТКАЗЕ В ПРИЕМЕ ДОКУМЕНТОВ',
    'Отбасы мүшелерінің табысы туралы мәліметтер',
    'Сведения о доходах членов семьи',
    'Жеке басын куәландыратын құжат (қолданылу мерзімі өткен)',
    'Документ, удостоверяющий личность (срок действия истек)',
    'Құжаттар топтамасы толық ұсынылмаған',
    'Представлен неполный пакет документов',
    'Оспанова Ұлжан Ерғалиқызы',
    'доверенность № 2026-0311 от 11.03.2026',
    '20.03.2026 10:42',
  ],
};

const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8' });
const squash = (s: string): string => s.replace(/\s+/g, ' ');

async function openAlone(page: Page, doc: Doc, format: Format): Promise<void> {
  await page.goto(`./#/print-test?doc=${doc}&format=${format}`);
  await expect(page.getByTestId('print-single')).toBeVisible();
  await expect(page.locator('#kense-print-root > .print-slot[data-ready="true"]')).toHaveCount(1);
}

test.describe('printed forms as PDF', () => {
  for (const doc of DOCS) {
    for (const format of FORMATS) {
      test(`${doc} on ${format}`, async ({ page }) => {
        const cspViolations: string[] = [];
        page.on('console', (m) => {
          if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
        });
        await openAlone(page, doc, format);

        // Laid out on the paper: nothing past the printable width, the QR code big enough to scan.
        const layout = await page.locator('#kense-print-root .print-sheet').evaluate((sheet, a4) => {
          const box = sheet.getBoundingClientRect();
          const style = getComputedStyle(sheet);
          // A roll's printable width is its content box; an A4 printer reaches to ~5 mm of the edge.
          const right = a4 ? box.right - (5 * 96) / 25.4 : box.right - parseFloat(style.paddingRight);
          const overflowing = [...sheet.querySelectorAll('*')]
            .filter((el) => !el.closest('svg') || el.tagName.toLowerCase() === 'svg')
            .filter((el) => {
              const r = el.getBoundingClientRect();
              return r.width > 0 && r.right > right + 0.5;
            })
            .map((el) => `${el.tagName}.${el.className.toString()}: ${(el.textContent ?? '').slice(0, 40)}`);
          const qr = sheet.querySelector('.print-qr-code')?.getBoundingClientRect();
          return {
            widthMm: (box.width * 25.4) / 96,
            qrMm: qr ? (qr.width * 25.4) / 96 : 0,
            overflowing,
            scrolls: sheet.scrollWidth > sheet.clientWidth + 1,
          };
        }, format === 'A4');
        expect(layout.overflowing).toEqual([]);
        expect(layout.scrolls).toBe(false);
        expect(layout.qrMm).toBeGreaterThanOrEqual(format === 'A4' ? 25 : 20);

        await page.emulateMedia({ media: 'print' });
        const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
        const file = `${OUT}/${doc}-${format}.pdf`;
        writeFileSync(file, new Uint8Array(pdf));

        // The paper: width of the format; a roll is one page cut to its content, A4 one sheet.
        const info = run('pdfinfo', [file]);
        const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
        expect(size, info).not.toBeNull();
        const [w, h] = [Number(size?.[1]), Number(size?.[2])];
        expect(Math.abs(w - PAGE_WIDTH_PT[format])).toBeLessThan(1.5);
        if (format === 'A4') expect(Math.abs(h - 841.89)).toBeLessThan(1.5);
        else expect(h).toBeGreaterThan(w);
        expect(/Pages:\s+(\d+)/.exec(info)?.[1]).toBe('1');

        // The text: both languages, Kazakh letters intact (real text, not boxes or images).
        const text = squash(run('pdftotext', ['-enc', 'UTF-8', file, '-']));
        for (const expected of EXPECTED[doc]) expect(text, expected).toContain(expected);
        for (const letter of KAZAKH_LETTERS) expect(text, letter).toContain(letter);
        expect(text).not.toContain('\uFFFD');

        // Every glyph from the bundled Noto Sans: no fallback font sneaked in.
        const fonts = run('pdffonts', [file])
          .split('\n')
          .slice(2)
          .filter((l) => l.trim() !== '')
          .map((l) => l.split(/\s+/)[0] ?? '');
        expect(fonts.length).toBeGreaterThan(0);
        for (const font of fonts) expect(font).toMatch(/NotoSans/);

        run('pdftoppm', ['-png', '-r', '100', '-f', '1', '-l', '1', '-singlefile', file, `${OUT}/${doc}-${format}`]);
        expect(cspViolations).toEqual([]);
      });
    }
  }

  test('the receipt lists and counts the documents, the refusal what is missing', async ({ page }) => {
    await openAlone(page, 'receipt', '80mm');
    const receipt = page.locator('#kense-print-root [data-lang="kk"]');
    await expect(receipt.getByTestId('print-doc-line')).toHaveCount(5);
    await expect(receipt.getByTestId('print-doc-total')).toHaveText('Барлығы: 5 құжат');
    await expect(page.locator('#kense-print-root [data-lang="ru"]').getByTestId('print-doc-total')).toHaveText(
      'Всего: 5 документов',
    );
    await openAlone(page, 'refusal', '58mm');
    await expect(page.locator('#kense-print-root [data-lang="ru"]').getByTestId('print-missing-line')).toHaveCount(2);
  });

  test('the forms stay bilingual when the UI is in Russian', async ({ page }) => {
    await page.goto('./');
    await page.getByTestId('lang-ru').click();
    await openAlone(page, 'ticket', '80mm');
    await expect(page.locator('.page-header h1')).toHaveText('Образцы печатных форм');
    const sheet = page.locator('#kense-print-root .print-sheet');
    await expect(sheet).toContainText('Құжаттарды қабылдау туралы талон');
    await expect(sheet).toContainText('Талон о приеме документов');
    await page.getByTestId('lang-kk').click();
  });

  test('the test page shows every document in every format, and an unknown one says so', async ({ page }) => {
    await page.goto('./#/print-test');
    // Three formats each; the receipt twice (taken at the office, taken at home: issue 18).
    const samples: Record<Doc, number> = { ticket: 1, receipt: 2, refusal: 1 };
    for (const doc of DOCS)
      await expect(page.getByTestId(`print-test-${doc}`).locator('.print-sheet')).toHaveCount(3 * samples[doc]);
    // Nothing stands in the print root, so printing the overview prints the page itself.
    await expect(page.locator('#kense-print-root > .print-slot')).toHaveCount(0);
    await page.screenshot({ path: `${OUT}/test-page.png`, fullPage: false });
    await page.goto('./#/print-test?doc=nonsense&format=80mm');
    await expect(page.getByRole('alert')).toHaveText('Мұндай үлгі жоқ');
  });

  test('printing a job in browser mode renders it alone, sets its page, calls window.print, and cleans up', async ({
    page,
  }) => {
    await page.goto('./#/print-test');
    await page.evaluate(() => {
      const w = window as unknown as { __printed: unknown[] };
      w.__printed = [];
      window.print = () => {
        const root = document.getElementById('kense-print-root');
        const sheet = root?.querySelector('.print-slot[data-job] .print-sheet');
        w.__printed.push({
          slots: root?.querySelectorAll('.print-slot').length ?? 0,
          doc: sheet?.getAttribute('data-doc'),
          format: sheet?.getAttribute('data-format'),
          qr: Boolean(sheet?.querySelector('.print-qr-code path')),
          pageRules: document.adoptedStyleSheets.flatMap((s) => [...s.cssRules].map((r) => r.cssText)),
          fontsLoaded: document.fonts.check('12px "Noto Sans"', 'ӘәҒғҚқҢңӨөҰұҮүІі'),
        });
      };
    });
    await page.getByTestId('print-sample-receipt-office-58mm').click();
    await expect(page.getByTestId('print-test-receipt').getByRole('status')).toHaveText('Басып шығаруға жіберілді');
    const printed = await page.evaluate(() => (window as unknown as { __printed: unknown[] }).__printed);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatchObject({ slots: 1, doc: 'receipt', format: '58mm', qr: true, fontsLoaded: true });
    const rules = (printed[0] as { pageRules: string[] }).pageRules.join(' ');
    expect(rules).toMatch(/@page \{ size: 58mm \d+mm; margin: 0(px)?; \}/);
    // Afterwards the print root is empty again and no page rule is left behind.
    await expect(page.locator('#kense-print-root > .print-slot')).toHaveCount(0);
    const left = await page.evaluate(() =>
      document.adoptedStyleSheets.flatMap((s) => [...s.cssRules].map((r) => r.cssText)).join(''),
    );
    expect(left).toBe('');
  });
});

test.describe('the commission agenda on paper', () => {
  const EXPECTED_AGENDA: Record<'kk' | 'ru', string[]> = {
    kk: [
      'КОМИССИЯ ОТЫРЫСЫНЫҢ КҮН ТӘРТІБІ',
      'Мекеме: ALM01',
      'Хаттама № 14',
      'Отырыс күні 25.03.2026',
      'ALM01-D01-000487',
      '«Құрылыс-Сервис» ЖШС',
      'Комиссия мүшелері',
      'Ахметова Сәуле Қайратқызы',
      'Ким Олег Викторович',
      'Комиссия хатшысы',
      'қолы',
      'Барлығы: 2 өтініш',
    ],
    ru: [
      'ПОВЕСТКА ЗАСЕДАНИЯ КОМИССИИ',
      'Учреждение: ALM01',
      'Протокол № 14',
      'Дата заседания 25.03.2026',
      'ALM01-D02-000112',
      'Назначение государственной адресной социальной помощи',
      'Члены комиссии',
      'Секретарь комиссии',
      'подпись',
      'Всего: 2 заявления',
    ],
  };
  for (const lang of ['kk', 'ru'] as const) {
    test(`A4 with the office, the protocol, the members' signatures, plain numbers (${lang})`, async ({ page }) => {
      await page.goto(`./#/print-test?doc=agenda&format=A4&sample=${lang}`);
      await expect(page.locator('#kense-print-root > .print-slot[data-ready="true"]')).toHaveCount(1);
      const sheet = page.locator('#kense-print-root .print-sheet');
      // Numbers are text, not links, and black.
      await expect(sheet.locator('a')).toHaveCount(0);
      const colour = await sheet
        .locator('.agenda-number')
        .first()
        .evaluate((el) => getComputedStyle(el).color);
      expect(colour).toBe('rgb(0, 0, 0)');
      await expect(sheet.getByTestId('agenda-sign')).toHaveCount(4);
      await page.emulateMedia({ media: 'print' });
      const file = `${OUT}/agenda-${lang}.pdf`;
      writeFileSync(file, new Uint8Array(await page.pdf({ preferCSSPageSize: true, printBackground: true })));
      const info = run('pdfinfo', [file]);
      expect(/Pages:\s+(\d+)/.exec(info)?.[1]).toBe('1');
      expect(info).toMatch(/Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts/);
      const text = squash(run('pdftotext', ['-enc', 'UTF-8', file, '-']));
      for (const expected of EXPECTED_AGENDA[lang]) expect(text, expected).toContain(expected);
      run('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, `${OUT}/agenda-${lang}`]);
    });
  }
});

test.describe('the inspection act and a receipt taken at home (issue 18)', () => {
  test('the act on A4: title, basis, entries and signatures in Kazakh and Russian side by side', async ({ page }) => {
    await openAlone(page, 'inspectionAct' as Doc, 'A4');
    await expect(page.locator('#kense-print-root .print-sheet').getByTestId('print-act-line')).toHaveCount(14);
    await page.emulateMedia({ media: 'print' });
    const file = `${OUT}/inspectionAct-A4.pdf`;
    writeFileSync(file, new Uint8Array(await page.pdf({ preferCSSPageSize: true, printBackground: true })));
    const info = run('pdfinfo', [file]);
    expect(/Pages:\s+(\d+)/.exec(info)?.[1]).toBe('1');
    expect(info).toMatch(/Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts/);
    const text = squash(run('pdftotext', ['-enc', 'UTF-8', file, '-']));
    for (const expected of [
      'ТҰРҒЫН ҮЙ ЖӘНЕ БАСҚА ДА МАТЕРИАЛДЫҚ-ТҰРМЫСТЫҚ ЖАҒДАЙЛАРЫН ТЕКСЕРУ АКТІСІ',
      'АКТ ОБСЛЕДОВАНИЯ ЖИЛИЩНЫХ И ДРУГИХ МАТЕРИАЛЬНО-БЫТОВЫХ УСЛОВИЙ',
      '004/12 п. 7 пп. 5)',
      'ALM01-D1-000042',
      '08.04.2026',
      'Проживает одиноко',
      'Жалғыз тұрады',
      'Частичная',
      'Ішінара',
      'С актом ознакомлен(а)',
      'Актімен таныстым',
      'Омарова Дана Серікқызы',
      'Жетісу-2, 14-үй',
    ])
      expect(text, expected).toContain(expected);
    run('pdftoppm', ['-png', '-r', '60', '-singlefile', file, `${OUT}/inspectionAct-A4`]);
  });

  for (const format of ['58mm', 'A4'] as const) {
    test(`the receipt says where and when it was taken (${format})`, async ({ page }) => {
      await page.goto(`./#/print-test?doc=receipt&format=${format}&sample=home`);
      await expect(page.locator('#kense-print-root > .print-slot[data-ready="true"]')).toHaveCount(1);
      await page.emulateMedia({ media: 'print' });
      const file = `${OUT}/receipt-home-${format}.pdf`;
      writeFileSync(file, new Uint8Array(await page.pdf({ preferCSSPageSize: true, printBackground: true })));
      const text = squash(run('pdftotext', ['-enc', 'UTF-8', file, '-']));
      for (const expected of [
        'Үйде қабылданды, мекенжайы',
        'Принято на дому по адресу',
        'Жетісу-2, 14-үй',
        '20.03.2026 10:42',
      ])
        expect(text, expected).toContain(expected);
      run('pdftoppm', ['-png', '-r', '60', '-singlefile', file, `${OUT}/receipt-home-${format}`]);
    });
  }
});
