"""evaltui: 项目支出绩效自评表 in the terminal."""

__version__ = "0.1.0"
