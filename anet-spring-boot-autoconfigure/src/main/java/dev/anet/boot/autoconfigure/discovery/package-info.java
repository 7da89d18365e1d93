/**
 * Addresses of named anet clients from Spring Cloud's {@code DiscoveryClient}.
 */
@NullMarked
package dev.anet.boot.autoconfigure.discovery;

import org.jspecify.annotations.NullMarked;
