/**
 * Auto-configuration of typed anet messages: converters and the template.
 */
@NullMarked
package dev.anet.boot.autoconfigure.messaging;

import org.jspecify.annotations.NullMarked;
