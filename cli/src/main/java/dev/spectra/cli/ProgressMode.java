package dev.spectra.cli;

/** Whether to draw the progress line: on a terminal by default, or as {@code --progress}/{@code --no-progress} force. */
enum ProgressMode {
    AUTO, ON, OFF;

    boolean shows(boolean onTerminal) {
        return this == ON || (this == AUTO && onTerminal);
    }
}
