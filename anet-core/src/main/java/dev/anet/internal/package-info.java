/**
 * Helpers shared by the anet packages. Not part of the public API.
 */
@NullMarked
package dev.anet.internal;

import org.jspecify.annotations.NullMarked;
