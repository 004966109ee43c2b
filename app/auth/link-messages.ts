// What the pages say about emailed links; shared by the server modules and the pages.

export const INVALID_INVITATION_MESSAGE = "This invitation link has expired or has already been used";
export const INVALID_RESET_MESSAGE = "This password reset link has expired or has already been used";
export const RESET_REQUESTED_MESSAGE = "If an account exists for that address, we have sent a link";
