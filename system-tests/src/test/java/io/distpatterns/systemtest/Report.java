package io.distpatterns.systemtest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The markdown report of a run. */
final class Report {

    private final StringBuilder md = new StringBuilder();

    Report title(String text) {
        md.append("# ").append(text).append("\n\n");
        return this;
    }

    Report section(String text) {
        md.append("\n## ").append(text).append("\n\n");
        return this;
    }

    Report paragraph(String text) {
        md.append(text).append("\n\n");
        return this;
    }

    Report figures(Map<String, ?> figures) {
        md.append("| | |\n| --- | --- |\n");
        figures.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(cell(v)).append(" |\n"));
        md.append('\n');
        return this;
    }

    Report table(List<String> header, List<List<?>> rows) {
        md.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> md.append(" --- |"));
        md.append('\n');
        for (List<?> row : rows) {
            md.append("|");
            row.forEach(c -> md.append(' ').append(cell(c)).append(" |"));
            md.append('\n');
        }
        md.append('\n');
        return this;
    }

    void writeTo(Path file) throws java.io.IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    }

    static String cell(Object value) {
        String text = value instanceof Double ? String.format(Locale.ROOT, "%.2f", (Double) value) : String.valueOf(value);
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
