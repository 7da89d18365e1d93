/**
 * An embeddable anet server: blocking accept, one reader per connection, handlers run
 * concurrently, answers batched into few writes, graceful stop.
 */
@NullMarked
package dev.anet.server;

import org.jspecify.annotations.NullMarked;
