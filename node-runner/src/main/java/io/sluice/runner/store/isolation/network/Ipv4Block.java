package io.sluice.runner.store.isolation.network;

/**
 * An IPv4 address block (CIDR), such as the pool the jobs' point-to-point links are cut from.
 *
 * <p>Hand-written rather than from a library: the runner needs only parsing, containment and the n-th /30 of a
 * block, a few lines, where an address library would be a new dependency for them.
 */
record Ipv4Block(int base, int prefix) {

    Ipv4Block {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix length must be 0-32, got " + prefix);
        }
        base = base & mask(prefix);
    }

    /** Parses {@code a.b.c.d/n}; the message says what is wrong with {@code text}. */
    static Ipv4Block parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 block: expected a.b.c.d/n");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': the prefix length is not a number");
        }
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("'" + text + "': the prefix length must be 0-32");
        }
        int address = parseAddress(text.substring(0, slash), text);
        if ((address & ~mask(prefix)) != 0) {
            throw new IllegalArgumentException("'" + text + "': host bits are set (did you mean "
                    + format(address & mask(prefix)) + "/" + prefix + "?)");
        }
        return new Ipv4Block(address, prefix);
    }

    /** Parses a dotted quad; {@code context} is named in the message. */
    static int parseAddress(String text, String context) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + context + "' is not an IPv4 address: expected a.b.c.d");
        }
        int address = 0;
        for (String part : parts) {
            int octet;
            try {
                octet = part.length() <= 3 ? Integer.parseInt(part) : -1;
            } catch (NumberFormatException e) {
                octet = -1;
            }
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("'" + context + "' is not an IPv4 address: '" + part
                        + "' is not 0-255");
            }
            address = (address << 8) | octet;
        }
        return address;
    }

    static String format(int address) {
        return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }

    boolean contains(int address) {
        return (address & mask(prefix)) == base;
    }

    /** How many blocks of {@code size} (a prefix length) the block holds. */
    int count(int size) {
        return size < prefix ? 0 : 1 << (size - prefix);
    }

    /** The {@code index}-th block of prefix length {@code size} in this block. */
    Ipv4Block nth(int size, int index) {
        return new Ipv4Block(base + (index << (32 - size)), size);
    }

    /** Which block of prefix length {@code size} the address falls in. */
    int indexOf(int address, int size) {
        return (address - base) >>> (32 - size);
    }

    @Override
    public String toString() {
        return format(base) + "/" + prefix;
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }
}
