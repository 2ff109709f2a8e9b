package org.attentionanalytics.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The benchmark's PNG chart, drawn with java.awt (no charting dependency): left, events/s per
 * variant (one bar per user count); right, latency p50 and p99 of emission and visibility.
 */
final class Chart {
    private static final Color[] POINT_COLORS = {new Color(0x3366cc), new Color(0xdc8a00), new Color(0x2a9d8f)};
    private static final int W = 1200;
    private static final int H = 560;

    private Chart() {}

    @SuppressWarnings("unchecked")
    static void write(Map<String, Object> json, Path png) throws java.io.IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("Attention Analytics benchmark  " + json.get("date"), 20, 26);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        Map<String, Object> machine = (Map<String, Object>) json.get("machine");
        g.drawString(
                machine.get("nproc") + " cores, " + machine.get("cpu") + ", " + machine.get("jvm")
                        + "  |  parallelism 2, RocksDB managed memory, exactly-once checkpoints",
                20,
                44);

        // left: throughput
        List<Map<String, Object>> points = (List<Map<String, Object>>) json.get("throughput");
        List<String> variants = new ArrayList<>();
        double max = 1;
        for (Map<String, Object> p : points) {
            for (var e : ((Map<String, Map<String, Object>>) p.get("variants")).entrySet()) {
                if (!variants.contains(e.getKey())) {
                    variants.add(e.getKey());
                }
                max = Math.max(max, ((Number) e.getValue().get("events_per_s")).doubleValue());
            }
        }
        int left = 150;
        int right = 720;
        int top = 80;
        int rowH = Math.max(30, Math.min(80, (H - top - 60) / Math.max(1, variants.size())));
        int barH = Math.max(8, (rowH - 10) / Math.max(1, points.size()));
        g.drawString("events/s sustained", left, top - 12);
        for (int vi = 0; vi < variants.size(); vi++) {
            int y = top + vi * rowH;
            g.setColor(Color.BLACK);
            g.drawString(variants.get(vi), 20, y + rowH / 2);
            for (int pi = 0; pi < points.size(); pi++) {
                Map<String, Object> v =
                        ((Map<String, Map<String, Object>>) points.get(pi).get("variants")).get(variants.get(vi));
                if (v == null) {
                    continue;
                }
                double eps = ((Number) v.get("events_per_s")).doubleValue();
                int w = (int) ((right - left) * eps / max);
                g.setColor(POINT_COLORS[pi % POINT_COLORS.length]);
                g.fillRect(left, y + pi * barH, Math.max(1, w), barH - 2);
                g.setColor(Color.BLACK);
                g.drawString(String.format(Locale.ROOT, "%,.0f", eps), left + w + 4, y + pi * barH + barH - 4);
            }
        }
        int ly = top + variants.size() * rowH + 10;
        for (int pi = 0; pi < points.size(); pi++) {
            g.setColor(POINT_COLORS[pi % POINT_COLORS.length]);
            g.fillRect(left + pi * 180, ly, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(
                    String.format(
                            Locale.ROOT, "%,d users", ((Number) points.get(pi).get("users")).longValue()),
                    left + pi * 180 + 16,
                    ly + 11);
        }

        // right: latency
        Map<String, Object> latency = (Map<String, Object>) json.get("latency");
        int lx = 860;
        int lw = 300;
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1));
        g.drawLine(lx - 40, top - 30, lx - 40, H - 30);
        if (latency == null) {
            g.drawString("latency: not measured", lx, top);
        } else {
            g.drawString(
                    String.format(Locale.ROOT, "latency at %s events/s (ms)", latency.get("rate_target")),
                    lx - 20,
                    top - 12);
            String[][] rows = {
                {"emission p50", "emission_ms", "p50"},
                {"emission p99", "emission_ms", "p99"},
                {"visible p50", "visibility_read_committed_ms", "p50"},
                {"visible p99", "visibility_read_committed_ms", "p99"}
            };
            double lmax = 1;
            for (String[] r : rows) {
                Object v = ((Map<String, Object>) latency.get(r[1])).get(r[2]);
                if (v != null) {
                    lmax = Math.max(lmax, ((Number) v).doubleValue());
                }
            }
            for (int i = 0; i < rows.length; i++) {
                int y = top + i * 60;
                Object v = ((Map<String, Object>) latency.get(rows[i][1])).get(rows[i][2]);
                g.setColor(Color.BLACK);
                g.drawString(rows[i][0], lx - 20, y + 14);
                if (v == null) {
                    g.drawString("-", lx + 80, y + 14);
                    continue;
                }
                double ms = ((Number) v).doubleValue();
                int w = (int) ((lw - 80) * ms / lmax);
                g.setColor(i < 2 ? new Color(0x6a4c93) : new Color(0xc0392b));
                g.fillRect(lx + 70, y, Math.max(1, w), 20);
                g.setColor(Color.BLACK);
                g.drawString(String.format(Locale.ROOT, "%,.0f", ms), lx + 70, y + 36);
            }
            if (((Map<String, Object>) latency.get("emission_ms")).get("p50") == null) {
                g.drawString("no vector of the window came out in time:", lx - 20, top + 240);
                g.drawString("the job ran behind the rate", lx - 20, top + 254);
            }
            g.drawString("out-of-orderness " + latency.get("out_of_orderness_ms") + " ms,", lx - 20, top + 270);
            g.drawString("checkpoints every " + latency.get("checkpoint_interval_ms") + " ms", lx - 20, top + 286);
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }
}
