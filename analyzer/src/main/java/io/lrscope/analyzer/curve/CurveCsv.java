package io.lrscope.analyzer.curve;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a sweep from CSV: a header naming {@code step}, {@code lr}, {@code loss} and
 * optionally {@code rank}, in any order (other columns are ignored), then one row per record.
 * Blank lines and lines starting with {@code #} are skipped.
 *
 * <p>A bad file fails as a whole with one line naming the line number, the field and the value;
 * nothing half-read is analysed. Loss may be {@code nan} or {@code inf} (that is divergence);
 * lr must be a finite number > 0.
 */
public final class CurveCsv {

    private CurveCsv() {}

    /** A CSV problem at a line; the message is the one line a user sees. */
    public static final class CsvException extends IllegalArgumentException {
        CsvException(int line, String message) {
            super("line " + line + ": " + message);
        }
    }

    public static SweepCurve read(Reader source) throws IOException {
        BufferedReader reader = new BufferedReader(source);
        SweepCurve curve = new SweepCurve();
        Map<String, Integer> columns = null;
        int lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1); // the byte-order mark spreadsheet programs write
            }
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (columns == null) {
                columns = header(lineNumber, trimmed);
                continue;
            }
            String[] cells = trimmed.split(",", -1);
            int rank = columns.containsKey("rank")
                    ? (int) integer(lineNumber, "rank", cell(lineNumber, cells, columns, "rank"))
                    : 0;
            long step = integer(lineNumber, "step", cell(lineNumber, cells, columns, "step"));
            double lr = number(lineNumber, "lr", cell(lineNumber, cells, columns, "lr"));
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new CsvException(lineNumber,
                        "lr=" + cell(lineNumber, cells, columns, "lr")
                                + ": must be a finite number > 0");
            }
            double loss = number(lineNumber, "loss", cell(lineNumber, cells, columns, "loss"));
            curve.add(rank, step, lr, loss);
        }
        if (columns == null) {
            throw new CsvException(Math.max(1, lineNumber),
                    "no header: expected a first line like step,lr,loss (rank optional)");
        }
        return curve;
    }

    private static Map<String, Integer> header(int lineNumber, String line) {
        Map<String, Integer> columns = new HashMap<>();
        String[] names = line.split(",", -1);
        for (int i = 0; i < names.length; i++) {
            columns.putIfAbsent(names[i].strip().toLowerCase(Locale.ROOT), i);
        }
        for (String required : new String[] {"step", "lr", "loss"}) {
            if (!columns.containsKey(required)) {
                throw new CsvException(lineNumber, "header=" + abbreviate(line)
                        + ": missing column '" + required + "' (need step,lr,loss; rank optional)");
            }
        }
        return columns;
    }

    private static String cell(int lineNumber, String[] cells, Map<String, Integer> columns,
            String field) {
        int index = columns.get(field);
        if (index >= cells.length) {
            throw new CsvException(lineNumber, field + " is missing (the row has "
                    + cells.length + " columns)");
        }
        return cells[index].strip();
    }

    private static long integer(int lineNumber, String field, String text) {
        try {
            long value = Long.parseLong(text);
            if (value < 0) {
                throw new CsvException(lineNumber, field + "=" + text + ": must be >= 0");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new CsvException(lineNumber,
                    field + "=" + abbreviate(text) + ": not a whole number");
        }
    }

    private static double number(int lineNumber, String field, String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "nan":
                return Double.NaN;
            case "inf":
            case "+inf":
            case "infinity":
            case "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf":
            case "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        try {
            if (text.isEmpty() || !text.matches("[-+0-9.eE]+")) {
                throw new NumberFormatException(text);
            }
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new CsvException(lineNumber, field + "=" + abbreviate(text) + ": not a number");
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\p{Cntrl}", "?");
        return "'" + (oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 40) + "...") + "'";
    }
}
