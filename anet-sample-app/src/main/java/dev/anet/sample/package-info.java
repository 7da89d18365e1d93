/**
 * The anet sample application.
 */
@NullMarked
package dev.anet.sample;

import org.jspecify.annotations.NullMarked;
