// The Samba AD DC code lives in the lab package, which provisions the lab's DC with it too.
export * from '@cloudsync/lab/samba';
