// Process helpers live beside the Samba code in the lab package, which uses them too.
export * from '@cloudsync/lab/samba/process';
