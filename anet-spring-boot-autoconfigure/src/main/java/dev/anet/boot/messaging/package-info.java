/**
 * Typed anet messages: {@link dev.anet.boot.messaging.AnetMessageConverter}s between bodies and
 * objects, and the {@link dev.anet.boot.messaging.AnetTemplate} that sends them through a broker.
 */
@NullMarked
package dev.anet.boot.messaging;

import org.jspecify.annotations.NullMarked;
