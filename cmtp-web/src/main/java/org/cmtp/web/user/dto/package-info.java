/**
 * What the account holders' API ({@code /api/user}) sends and receives as JSON: plain
 * classes with public fields, apart from the resources. Problems use the admin API's
 * {@link org.cmtp.web.api.dto.Problem}.
 */
package org.cmtp.web.user.dto;
