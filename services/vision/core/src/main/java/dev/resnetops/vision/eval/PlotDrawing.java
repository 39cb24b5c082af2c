package dev.resnetops.vision.eval;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;

/**
 * Text placement and canvas set-up shared by the report plots. Java2D anchors text at the left end
 * of its baseline; plots need it centred, right-aligned or rotated around a tick instead.
 */
final class PlotDrawing {

    private PlotDrawing() {
    }

    /**
     * A white RGB canvas with antialiasing on. Drawing into a {@link BufferedImage} needs no
     * display, so this works the same with {@code -Djava.awt.headless=true}.
     */
    static Graphics2D begin(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        return g;
    }

    /** The "SansSerif" logical font: it always maps to an installed face, headless or not. */
    static Font sans(int style, float size) {
        return new Font(Font.SANS_SERIF, style, 12).deriveFont(size);
    }

    /** Metrics for measuring layout before anything is drawn. */
    static FontMetrics metrics(Font font) {
        Graphics2D scratch = begin(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
        try {
            return scratch.getFontMetrics(font);
        } finally {
            scratch.dispose();
        }
    }

    static void drawCentered(Graphics2D g, String text, double centerX, double centerY) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, (float) (centerX - fm.stringWidth(text) / 2.0), (float) baseline(fm, centerY));
    }

    static void drawRightAligned(Graphics2D g, String text, double rightX, double centerY) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, (float) (rightX - fm.stringWidth(text)), (float) baseline(fm, centerY));
    }

    static void drawLeftAligned(Graphics2D g, String text, double leftX, double centerY) {
        g.drawString(text, (float) leftX, (float) baseline(g.getFontMetrics(), centerY));
    }

    /** Text reading bottom-to-top, centred on the point; for vertical axis titles. */
    static void drawVertical(Graphics2D g, String text, double centerX, double centerY) {
        AffineTransform saved = g.getTransform();
        g.translate(centerX, centerY);
        g.rotate(-Math.PI / 2);
        drawCentered(g, text, 0, 0);
        g.setTransform(saved);
    }

    /**
     * Text rotated counter-clockwise by {@code angle} radians whose end sits on the anchor, so a
     * rotated tick label hangs down and to the left from the tick it names.
     */
    static void drawEndingAt(Graphics2D g, String text, double anchorX, double anchorY, double angle) {
        AffineTransform saved = g.getTransform();
        g.translate(anchorX, anchorY);
        g.rotate(-angle);
        drawRightAligned(g, text, 0, 0);
        g.setTransform(saved);
    }

    /** The baseline that centres the font's ascent-plus-descent box vertically on {@code centerY}. */
    private static double baseline(FontMetrics fm, double centerY) {
        return centerY + (fm.getAscent() - fm.getDescent()) / 2.0;
    }
}
