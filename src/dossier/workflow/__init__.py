"""The collection workflow over a portfolio: the next step of each claim, running the steps that are due, and
the portfolio report. Above batch (it runs letters through it) and below the interfaces."""
