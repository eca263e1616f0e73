package io.github.sysloadexporter.detect;

/** A block device whose utilisation is watched, with the reason it was chosen. */
public record Disk(String name, String why) {}
