package io.sluice.runner.store.isolation.process;

/**
 * Writes JSON as text, for the files written on every launch (config.json, process.json): building a Jackson tree
 * and serializing it cost about a millisecond per launch, as launches are too rare for that code to stay compiled.
 */
public final class ProcessStateJsonWriter {

    private final StringBuilder out = new StringBuilder(4096);
    private boolean needsComma;

    public ProcessStateJsonWriter beginObject() {
        comma();
        out.append('{');
        needsComma = false;
        return this;
    }

    public ProcessStateJsonWriter endObject() {
        out.append('}');
        needsComma = true;
        return this;
    }

    public ProcessStateJsonWriter beginArray() {
        comma();
        out.append('[');
        needsComma = false;
        return this;
    }

    public ProcessStateJsonWriter endArray() {
        out.append(']');
        needsComma = true;
        return this;
    }

    /** The name of the next member of an object. */
    public ProcessStateJsonWriter name(String name) {
        comma();
        quote(name);
        out.append(':');
        needsComma = false;
        return this;
    }

    public ProcessStateJsonWriter value(String text) {
        comma();
        if (text == null) {
            out.append("null");
        } else {
            quote(text);
        }
        needsComma = true;
        return this;
    }

    public ProcessStateJsonWriter value(long number) {
        comma();
        out.append(number);
        needsComma = true;
        return this;
    }

    public ProcessStateJsonWriter value(boolean flag) {
        comma();
        out.append(flag);
        needsComma = true;
        return this;
    }

    public ProcessStateJsonWriter values(Iterable<String> texts) {
        beginArray();
        texts.forEach(this::value);
        return endArray();
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void comma() {
        if (needsComma) {
            out.append(',');
        }
    }

    private void quote(String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
