package io.github.sysloadexporter.web;

/** The web configuration file cannot be used; the message is one line that names the file and the key. */
public final class WebConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public WebConfigException(String message) {
        super(message);
    }

    public WebConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
