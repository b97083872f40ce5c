package org.bcflow.core;

/**
 * A problem the user can fix (bad input file, bad option, missing tool). The CLI prints its
 * message as one line and exits non-zero, without a stack trace.
 */
public class BcflowException extends RuntimeException {
    public BcflowException(String message) {
        super(message);
    }

    public BcflowException(String message, Throwable cause) {
        super(message, cause);
    }
}
