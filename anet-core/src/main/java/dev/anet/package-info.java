/**
 * anet: request/response messaging over plain TCP with the anet protocol. The exception base
 * types live here; framing, pool, broker and server have their own packages.
 */
@NullMarked
package dev.anet;

import org.jspecify.annotations.NullMarked;
