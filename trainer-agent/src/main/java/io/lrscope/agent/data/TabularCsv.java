package io.lrscope.agent.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A user's table: a CSV file with a header, numeric feature columns and one label column named
 * by the user. The label decides the task: integer-like values with at most
 * {@value #MAX_CLASSES} distinct values (and fewer than half as many as rows), or any text
 * labels, make a classification (classes numbered in sorted label order); any other numbers a
 * regression.
 *
 * <p>Rows are split {@value #VALIDATION_PERCENT}/100 into validation with a fixed seed, then
 * features are standardised with the training rows' mean and standard deviation only, so no
 * validation statistics leak into training. Regression targets keep their scale. Columns whose
 * first value is not a number are left out (and listed in {@link Table#skippedColumns()}).
 */
public final class TabularCsv {

    public static final int MAX_CLASSES = 32;
    public static final int VALIDATION_PERCENT = 20;
    static final long SPLIT_SEED = 20_240_602L;

    /** Classification or regression. */
    public enum Kind { CLASSIFICATION, REGRESSION }

    /**
     * The prepared table: standardised features row-major ({@code width} per row), targets as
     * class indices (classification) or values (regression), training and validation apart.
     */
    public record Table(
            String name,
            String labelColumn,
            List<String> featureColumns,
            List<String> skippedColumns,
            Kind kind,
            List<String> classLabels,
            float[] trainFeatures,
            float[] trainTargets,
            float[] validationFeatures,
            float[] validationTargets) {

        public int width() {
            return featureColumns.size();
        }

        public int classes() {
            return classLabels.size();
        }

        public int trainRows() {
            return trainTargets.length;
        }

        public int validationRows() {
            return validationTargets.length;
        }
    }

    private record Key(Path file, long modifiedMillis, long bytes, String labelColumn) {}

    private static final Map<Key, Table> CACHE = new ConcurrentHashMap<>();

    private TabularCsv() {}

    /**
     * Loads and prepares {@code file} (cached while the file is unchanged). Throws
     * {@link IllegalArgumentException} with one line naming the file, column or line at fault.
     */
    public static Table load(Path file, String labelColumn) {
        if (file == null || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("data=" + file + ": no such file");
        }
        if (labelColumn == null || labelColumn.isBlank()) {
            throw new IllegalArgumentException(
                    "labelColumn=" + labelColumn + ": required with --data (a column name)");
        }
        try {
            Key key = new Key(file.toAbsolutePath().normalize(),
                    Files.getLastModifiedTime(file).toMillis(), Files.size(file), labelColumn);
            return CACHE.computeIfAbsent(key, k -> parse(file, labelColumn));
        } catch (IOException e) {
            throw new UncheckedIOException("data=" + file + ": cannot read", e);
        }
    }

    private static Table parse(Path file, String labelColumn) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("data=" + file + ": cannot read: " + e.getMessage());
        }
        lines.removeIf(String::isBlank);
        if (lines.size() < 3) {
            throw new IllegalArgumentException("data=" + file
                    + ": needs a header and at least 2 rows, has " + lines.size() + " lines");
        }
        List<String> header = cells(lines.get(0));
        int label = header.indexOf(labelColumn);
        if (label < 0) {
            throw new IllegalArgumentException("labelColumn=" + labelColumn + ": not a column of "
                    + file.getFileName() + " (columns: " + String.join(", ", header) + ")");
        }
        List<String> first = cells(lines.get(1));
        List<Integer> features = new ArrayList<>();
        List<String> featureNames = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            if (c == label) {
                continue;
            }
            if (c < first.size() && isNumber(first.get(c))) {
                features.add(c);
                featureNames.add(header.get(c));
            } else {
                skipped.add(header.get(c));
            }
        }
        if (features.isEmpty()) {
            throw new IllegalArgumentException("data=" + file + ": no numeric feature columns "
                    + "besides labelColumn=" + labelColumn);
        }

        int rows = lines.size() - 1;
        int width = features.size();
        float[] x = new float[rows * width];
        String[] labels = new String[rows];
        for (int r = 0; r < rows; r++) {
            List<String> row = cells(lines.get(r + 1));
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("data=" + file.getFileName() + " line "
                        + (r + 2) + ": has " + row.size() + " cells, the header has "
                        + header.size());
            }
            for (int f = 0; f < width; f++) {
                String cell = row.get(features.get(f));
                if (!isNumber(cell)) {
                    throw new IllegalArgumentException("data=" + file.getFileName() + " line "
                            + (r + 2) + " column " + featureNames.get(f) + ": '" + cell
                            + "' is not a number");
                }
                x[r * width + f] = Float.parseFloat(cell.trim());
            }
            labels[r] = row.get(label).trim();
            if (labels[r].isEmpty()) {
                throw new IllegalArgumentException("data=" + file.getFileName() + " line "
                        + (r + 2) + " column " + labelColumn + ": empty label");
            }
        }

        TreeMap<String, Integer> classes = classesOf(labels, rows);
        Kind kind = classes == null ? Kind.REGRESSION : Kind.CLASSIFICATION;
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = kind == Kind.CLASSIFICATION
                    ? classes.get(labels[r])
                    : Float.parseFloat(labels[r]);
        }
        return split(file.getFileName().toString(), labelColumn, featureNames, skipped, kind,
                classes == null ? List.of() : List.copyOf(classes.keySet()), x, y, width);
    }

    /** Class label → index in sorted order, or null when the label is a regression target. */
    private static TreeMap<String, Integer> classesOf(String[] labels, int rows) {
        boolean numeric = true;
        boolean integral = true;
        TreeMap<String, Integer> distinct = new TreeMap<>(TabularCsv::compareLabels);
        for (String label : labels) {
            if (isNumber(label)) {
                double value = Double.parseDouble(label);
                integral &= value == Math.rint(value);
            } else {
                numeric = false;
            }
            if (distinct.size() <= MAX_CLASSES) {
                distinct.put(label, 0);
            }
        }
        boolean few = distinct.size() <= MAX_CLASSES && distinct.size() * 2 <= rows;
        if (numeric && !(integral && few)) {
            return null;
        }
        if (!few) {
            throw new IllegalArgumentException("labelColumn: text labels with more than "
                    + MAX_CLASSES + " distinct values (or more than half the rows) cannot be "
                    + "classes; use a numeric label for regression");
        }
        if (numeric) {
            // 1 and 1.0 are the same class
            TreeMap<String, Integer> merged = new TreeMap<>(TabularCsv::compareLabels);
            distinct.keySet().forEach(l -> merged.put(canonical(l), 0));
            distinct = merged;
            for (int i = 0; i < labels.length; i++) {
                labels[i] = canonical(labels[i]);
            }
        }
        int index = 0;
        for (Map.Entry<String, Integer> entry : distinct.entrySet()) {
            entry.setValue(index++);
        }
        return distinct;
    }

    private static String canonical(String label) {
        return Long.toString((long) Double.parseDouble(label));
    }

    private static int compareLabels(String a, String b) {
        if (isNumber(a) && isNumber(b)) {
            int byValue = Double.compare(Double.parseDouble(a), Double.parseDouble(b));
            return byValue != 0 ? byValue : a.compareTo(b);
        }
        return a.compareTo(b);
    }

    private static Table split(String name, String labelColumn, List<String> featureNames,
            List<String> skipped, Kind kind, List<String> classLabels, float[] x, float[] y,
            int width) {
        int rows = y.length;
        int[] order = Digits.permutation(rows, new SplittableRandom(SPLIT_SEED));
        int validation = Math.max(1, Math.round(rows * VALIDATION_PERCENT / 100f));
        int train = rows - validation;
        float[] trainX = new float[train * width];
        float[] trainY = new float[train];
        float[] validX = new float[validation * width];
        float[] validY = new float[validation];
        for (int i = 0; i < rows; i++) {
            int row = order[i];
            boolean inTrain = i < train;
            int at = inTrain ? i : i - train;
            System.arraycopy(x, row * width, inTrain ? trainX : validX, at * width, width);
            (inTrain ? trainY : validY)[at] = y[row];
        }
        for (int f = 0; f < width; f++) {
            double sum = 0;
            for (int r = 0; r < train; r++) {
                sum += trainX[r * width + f];
            }
            double mean = sum / train;
            double squares = 0;
            for (int r = 0; r < train; r++) {
                double d = trainX[r * width + f] - mean;
                squares += d * d;
            }
            double std = Math.sqrt(squares / train);
            double scale = std > 0 ? 1 / std : 1;
            standardise(trainX, width, f, mean, scale);
            standardise(validX, width, f, mean, scale);
        }
        return new Table(name, labelColumn, List.copyOf(featureNames), List.copyOf(skipped),
                kind, classLabels, trainX, trainY, validX, validY);
    }

    private static void standardise(float[] x, int width, int f, double mean, double scale) {
        for (int i = f; i < x.length; i += width) {
            x[i] = (float) ((x[i] - mean) * scale);
        }
    }

    private static boolean isNumber(String cell) {
        String s = cell.trim();
        if (s.isEmpty()) {
            return false;
        }
        try {
            return Double.isFinite(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Comma-separated cells; a cell in double quotes may hold commas ("" is a quote). */
    static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString().trim());
        return cells;
    }
}
