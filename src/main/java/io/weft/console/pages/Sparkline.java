package io.weft.console.pages;

import java.util.List;

/** A trend as an SVG polyline's points, 120 by 28, scaled to its own maximum (a flat line when all are zero). */
final class Sparkline {
    static final int WIDTH = 120;
    static final int HEIGHT = 28;

    private Sparkline() {
    }

    static String points(List<Object> values) {
        if (values.isEmpty()) {
            return "";
        }
        double max = values.stream().mapToDouble(LandscapeLayout::decimal).max().orElse(0);
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            double x = values.size() == 1 ? 0 : (double) i * WIDTH / (values.size() - 1);
            double v = LandscapeLayout.decimal(values.get(i));
            double y = HEIGHT - 2 - (max == 0 ? 0 : v / max * (HEIGHT - 4));
            points.append(Math.round(x * 10) / 10.0).append(',').append(Math.round(y * 10) / 10.0).append(' ');
        }
        return points.toString().trim();
    }
}
