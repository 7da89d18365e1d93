/**
 * The runnable side of anet-benchmarks: the {@code server} and {@code load} commands.
 */
@NullMarked
package dev.anet.bench;

import org.jspecify.annotations.NullMarked;
