// The per-address lock lives beside the Samba code in the lab package.
export * from '@cloudsync/lab/samba/address-lock';
