package dev.spectra.common.error;

/** Who is to blame: the caller, a system we depend on, or Spectra itself. */
public enum ErrorCategory {
    USER,
    EXTERNAL,
    INTERNAL
}
