package dev.spectra.cli;

import java.io.Console;
import java.lang.reflect.Method;

/**
 * Whether a person is watching: then the client draws progress, prints an aligned table and counts rows; otherwise
 * it writes plain tab-separated values and nothing else, for scripts and pipes.
 *
 * @param interactive the process's input and output are a terminal
 */
record Terminal(boolean interactive) {

    /**
     * Up to JDK 21 {@link System#console()} is {@code null} unless the process runs on a terminal; from JDK 22 on it
     * answers a console anyway and {@code Console.isTerminal()} tells, so that method is asked for when it exists.
     */
    static Terminal detect() {
        Console console = System.console();
        if (console == null) {
            return new Terminal(false);
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return new Terminal((Boolean) isTerminal.invoke(console));
        } catch (NoSuchMethodException e) {
            return new Terminal(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new Terminal(false);
        }
    }
}
