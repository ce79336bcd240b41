"""Helpers the tests share: S3 servers, the seller's, buyer's and moderator's steps, polling."""
