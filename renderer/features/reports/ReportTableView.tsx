import type { JSX } from 'react';
import type { Cell, ReportTable } from './tables';

/** A report table on screen and paper; a count that stands for applications opens their list. */
export function ReportTableView({
  table,
  onDrill,
  numericFrom = 1,
}: {
  table: ReportTable;
  onDrill?: (cell: Cell) => void;
  /** Columns from this index on are figures (right-aligned). */
  numericFrom?: number;
}): JSX.Element {
  return (
    <div className="report-table-wrap">
      <table className="report-table" data-testid={`report-table-${table.id}`}>
        <thead>
          <tr>
            {table.columns.map((c, i) => (
              <th key={i} className={i >= numericFrom ? 'num' : undefined}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((r, i) => (
            <tr key={i} className={table.total && i === table.rows.length - 1 ? 'total' : undefined}>
              {r.map((c, j) => (
                <td key={j} className={j >= numericFrom ? 'num' : undefined}>
                  {c.drill && onDrill ? (
                    <button type="button" className="link-button" onClick={() => onDrill(c)} data-testid="report-drill">
                      {c.text}
                    </button>
                  ) : (
                    c.text
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
