/**
 * The {@link dev.anet.boot.AnetHandler @AnetHandler} annotation that marks anet request handlers in a
 * Spring application.
 */
@NullMarked
package dev.anet.boot;

import org.jspecify.annotations.NullMarked;
