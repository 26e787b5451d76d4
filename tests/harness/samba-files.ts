// smb.conf, krb5.conf and TLS files of a DC folder live beside the Samba code in the lab package.
export * from '@cloudsync/lab/samba/samba-files';
