import type { CSSProperties, JSX, ReactNode } from 'react';
import { QRCodeSVG } from 'qrcode.react';
import type { UiLanguage } from '@shared/ipc/contract';
import { useBilingualT } from './labels';
import type { BilingualText, IntakeSlip, PaperFormat, PrintJob } from './types';
import './print.css';

/** The language blocks in print order: Kazakh, the state language, first (or on the left). */
export const PRINT_LANGUAGES: readonly UiLanguage[] = ['kk', 'ru'];

/** One printed form: the paper format decides the page and type sizes (print.css). */
export function Sheet({
  doc,
  format,
  children,
}: {
  doc: PrintJob['doc'];
  format: PaperFormat;
  children: ReactNode;
}): JSX.Element {
  return (
    <article className="print-sheet" data-doc={doc} data-format={format} lang="kk" data-testid={`print-sheet-${doc}`}>
      {children}
    </article>
  );
}

/**
 * The bilingual body. Each language gives the same rows in the same order; on A4 the two columns
 * share one grid (subgrid), so a Kazakh row and its Russian row start at the same height, and on
 * a roll the Kazakh block is printed whole and then the Russian one.
 */
export function LanguageBlocks({ rows }: { rows: Record<UiLanguage, ReactNode[]> }): JSX.Element {
  const span = Math.max(rows.kk.length, rows.ru.length, 1);
  const style: CSSProperties = { gridRow: `1 / span ${span}` };
  return (
    <div className="print-langs">
      {PRINT_LANGUAGES.map((lang) => (
        <section key={lang} className="print-lang" lang={lang} style={style} data-lang={lang}>
          {rows[lang]}
        </section>
      ))}
    </div>
  );
}

/** A labelled value: the label small above, the value under it. */
export function Field({ label, children, id }: { label: string; children: ReactNode; id: string }): JSX.Element {
  return (
    <div className="pr pf" data-field={id}>
      <div className="pf-label">{label}</div>
      <div className="pf-value">{children}</div>
    </div>
  );
}

/**
 * "қазақша / по-русски" for the parts printed once for both languages; on a narrow roll the two
 * go on separate lines instead (print.css).
 */
export function Both({ text, className }: { text: BilingualText; className?: string }): JSX.Element {
  return (
    <span className={className ? `both ${className}` : 'both'}>
      <span lang="kk">{text.kk}</span>
      <span className="both-sep"> / </span>
      <span lang="ru">{text.ru}</span>
    </span>
  );
}

/** The registration number as a QR code, vector, with its text under it. */
export function RegQr({ value }: { value: string }): JSX.Element {
  return (
    <figure className="print-qr" data-testid="print-qr">
      <QRCodeSVG
        value={value}
        level="M"
        marginSize={2}
        size={256}
        bgColor="#ffffff"
        fgColor="#000000"
        title={value}
        className="print-qr-code"
      />
      <figcaption className="print-qr-number">{value}</figcaption>
    </figure>
  );
}

/** The dashed cut line with its label in the middle. */
export function CutLine({ label }: { label: BilingualText }): JSX.Element {
  return (
    <div className="print-cut" role="separator" data-testid="print-cut">
      <Both text={label} className="print-cut-label" />
    </div>
  );
}

/** A line to sign on, with the name printed beside it and "қолы / подпись" under it. */
export function SignatureLine({
  label,
  name,
  caption,
}: {
  label: BilingualText;
  name: string | null;
  caption: BilingualText;
}): JSX.Element {
  return (
    <div className="print-sign">
      <Both text={label} className="print-sign-label" />
      <div className="print-sign-row">
        <div className="print-sign-line">
          <Both text={caption} className="print-sign-caption" />
        </div>
        {name && <div className="print-sign-name">{name}</div>}
      </div>
    </div>
  );
}

/** An ISO date (yyyy-MM-dd) as printed: dd.MM.yyyy. */
export function printedIsoDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

/**
 * A form signed at its foot: both languages' rows, then each signer's line (a bilingual label, the
 * name printed, "signature" under the line), the registration number as a QR code beside them, and
 * anything the form adds below (`children`).
 */
export function SignedSheet({
  doc,
  format,
  rows,
  signers,
  regNumber,
  children,
}: {
  doc: PrintJob['doc'];
  format: PaperFormat;
  rows: Record<UiLanguage, ReactNode[]>;
  signers: readonly { label: BilingualText; name: string | null }[];
  regNumber: string;
  children?: ReactNode;
}): JSX.Element {
  const b = useBilingualT();
  const caption = b('print:sign.signature');
  return (
    <Sheet doc={doc} format={format}>
      <LanguageBlocks rows={rows} />
      <div className="print-foot">
        <div className="print-signs">
          {signers.map((s, i) => (
            <SignatureLine key={i} label={s.label} name={s.name} caption={caption} />
          ))}
        </div>
        <RegQr value={regNumber} />
      </div>
      {children}
    </Sheet>
  );
}

/**
 * An intake slip handed over the counter (the receipt, the refusal receipt): signed by the official
 * and by the applicant or their representative.
 */
export function SignedSlip({
  doc,
  format,
  rows,
  slip,
}: {
  doc: PrintJob['doc'];
  format: PaperFormat;
  rows: Record<UiLanguage, ReactNode[]>;
  slip: Pick<IntakeSlip, 'officialName' | 'applicantName' | 'representative' | 'regNumber'>;
}): JSX.Element {
  const b = useBilingualT();
  const signers = [
    { label: b('print:sign.official'), name: slip.officialName },
    { label: b('print:sign.applicant'), name: slip.representative?.fullName ?? slip.applicantName },
  ];
  return <SignedSheet doc={doc} format={format} rows={rows} signers={signers} regNumber={slip.regNumber} />;
}
