def render(aid, ctx): return []
