package io.github.sysloadexporter.detect;

/**
 * Something detection looked at and left out (an interface or a block device), with the reason,
 * so that {@code --info} can answer "why is my device not watched".
 */
public record Excluded(String name, String why) {}
