/**
 * Spring application events of anet: the server started, connections opened and closed.
 */
@NullMarked
package dev.anet.boot.event;

import org.jspecify.annotations.NullMarked;
