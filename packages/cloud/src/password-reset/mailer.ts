import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends mail; the SMTP server is configured once (`CLOUDSYNC_SMTP_URL`). */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/**
 * A mailer over SMTP with nodemailer, e.g. `smtp://127.0.0.1:2525` (the lab's mail sink).
 * @example
 *   const mailer = createSmtpMailer({ url: 'smtp://127.0.0.1:2525', from: 'no-reply@contoso.cloudsync.test' });
 */
export function createSmtpMailer(options: { url: string; from: string }): Mailer {
  const transport = nodemailer.createTransport(options.url);
  return {
    async send(message) {
      await transport.sendMail({ from: options.from, ...message });
    },
  };
}
