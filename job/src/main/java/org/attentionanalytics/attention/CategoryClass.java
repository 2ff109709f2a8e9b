package org.attentionanalytics.attention;

import java.util.Locale;

/**
 * The class of a category (DESIGN.md section 13): whether time in it is what the user wants to
 * spend attention on ({@code focus}), time that neither helps nor hurts ({@code neutral}), or a
 * distraction. The split follows ActivityWatch's proposed focus dashboard (aw-webui issue 897),
 * which classes categories as productive, neutral or distracting. Declared per category in the
 * category rules ({@code class:focus}); a category without a class is neutral.
 */
public enum CategoryClass {
    FOCUS,
    NEUTRAL,
    DISTRACTION;

    /** @return the lower-case name used in the rules file and in reports ({@code focus}) */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param label {@code focus}, {@code neutral} or {@code distraction}, any case
     * @throws IllegalArgumentException for anything else
     */
    public static CategoryClass parse(String label) {
        for (CategoryClass c : values()) {
            if (c.label().equalsIgnoreCase(label)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown class '" + label + "' (focus, neutral or distraction)");
    }
}
